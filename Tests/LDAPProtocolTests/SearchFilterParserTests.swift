import LDAPProtocol
import Testing

/// RFC 4515 §3: reading the string form gives back the filter that was written.
@Suite("RFC 4515 filter strings read back")
struct SearchFilterParserTests {
    static let filters: [SearchFilter] = [
        .equality("uid", Array("XXX0606XX06".utf8)),
        .and([.equality("objectClass", Array("annGroup".utf8)), .not(.present("annCloseDate"))]),
        .or([.greaterOrEqual("annOpenDate", Array("20260101000000Z".utf8)), .lessOrEqual("annLevel", Array("3".utf8))]),
        .substrings("sn", initial: Array("DUP".utf8), any: [Array("o".utf8)], final: Array("nt".utf8)),
        .substrings("cn", initial: nil, any: [Array("a*b".utf8)], final: nil),
        .equality("description", [0x28, 0x29, 0x2A, 0x5C, 0x00, 0xC3, 0xA9]),
        .extensible(matchingRule: "dnSubtreeMatch", type: "entryDN", value: Array("cn=T1,cn=CONV,ou=partners".utf8), dnAttributes: false),
        .extensible(matchingRule: "caseExactMatch", type: "cn", value: Array("X".utf8), dnAttributes: true),
        .approx("givenName", Array("Noemie".utf8)),
    ]

    @Test("each filter survives rendering and reading", arguments: filters)
    func roundTrip(filter: SearchFilter) throws {
        #expect(try SearchFilter(rfc4515: filter.rfc4515String()) == filter)
    }

    @Test("malformed strings are refused with protocolError", arguments: ["", "uid=x", "(uid=x", "(uid=x))", "(uid=\\zz)", "(&(uid=x)", "(=x)", "(uid=a(b)"])
    func malformed(text: String) {
        #expect(throws: LDAPOperationError.self) { try SearchFilter(rfc4515: text) }
    }
}

import LDAPProtocol
import Testing

/// Filters built from text values (RFC 4515 §3): whatever a value holds, it
/// stays one assertion value and the filter keeps its shape.
@Suite("Filters built from values (RFC 4515)")
struct SearchFilterBuildingTests {
    @Test("a value holding * ( ) \\ or NUL is escaped into the assertion and cannot add, widen or close a filter", arguments: [
        ("*", #"\2a"#),
        ("a*)(uid=*", #"a\2a\29\28uid=\2a"#),
        (#"\"#, #"\5c"#),
        (#"\2a"#, #"\5c2a"#),
        ("(", #"\28"#),
        (")", #"\29"#),
        ("\u{0}", #"\00"#),
        ("x\u{0})(|(objectClass=*", #"x\00\29\28|\28objectClass=\2a"#),
        ("Élodie", #"\c3\89lodie"#),
    ])
    func hostileValues(_ value: String, _ escaped: String) throws {
        let filter = SearchFilter.all([.objectClass("annUser"), .equals("sn", value)])
        #expect(try filter.rfc4515String() == "(&(objectClass=annUser)(sn=\(escaped)))")
        let prefix = SearchFilter.startsWith("sn", value)
        #expect(try prefix.rfc4515String() == "(sn=\(escaped)*)")
        #expect(try SearchFilter.atLeast("annTime", value).rfc4515String() == "(annTime>=\(escaped))")
        #expect(try SearchFilter.atMost("annTime", value).rfc4515String() == "(annTime<=\(escaped))")
    }

    @Test("the builders are the RFC 4511 filters they name, the value kept as its UTF-8 octets")
    func builders() {
        #expect(SearchFilter.equals("cn", "T1") == .equality("cn", Array("T1".utf8)))
        #expect(SearchFilter.startsWith("cn", "T") == .substrings("cn", initial: Array("T".utf8), any: [], final: nil))
        #expect(SearchFilter.objectClass("annGroup") == .equality("objectClass", Array("annGroup".utf8)))
        #expect(SearchFilter.all([.present("cn")]) == .present("cn"))
        #expect(SearchFilter.all([.present("cn"), .present("sn")]) == .and([.present("cn"), .present("sn")]))
    }

    @Test("an attribute type cannot smuggle filter text either: it is refused")
    func hostileType() {
        #expect(throws: (any Error).self) { try SearchFilter.equals("cn=*)(uid", "x").rfc4515String() }
    }
}

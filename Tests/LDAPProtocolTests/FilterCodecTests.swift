import LDAPProtocol
import Testing

/// Filters hand-encoded from the ASN.1 of RFC 4511 §4.5.1.7, each with the
/// RFC 4515 string it stands for.
enum FilterVector {
    /// `(cn=*foo*)`
    static let substringsAnyOnly: [UInt8] = [
        0xa4, 0x0b, 0x04, 0x02, 0x63, 0x6e, 0x30, 0x05, 0x81, 0x03, 0x66, 0x6f, 0x6f,
    ]

    /// `(cn=ab*cd*ef*gh)`
    static let substringsAll: [UInt8] = [
        0xa4, 0x16, 0x04, 0x02, 0x63, 0x6e, 0x30, 0x10, 0x80, 0x02, 0x61, 0x62, 0x81, 0x02, 0x63, 0x64,
        0x81, 0x02, 0x65, 0x66, 0x82, 0x02, 0x67, 0x68,
    ]

    /// `(mail=*@example.org)`
    static let substringsFinal: [UInt8] = [
        0xa4, 0x16, 0x04, 0x04, 0x6d, 0x61, 0x69, 0x6c, 0x30, 0x0e, 0x82, 0x0c, 0x40, 0x65, 0x78, 0x61,
        0x6d, 0x70, 0x6c, 0x65, 0x2e, 0x6f, 0x72, 0x67,
    ]

    /// `(cn:=x)`
    static let extensibleTypeOnly: [UInt8] = [
        0xa9, 0x07, 0x82, 0x02, 0x63, 0x6e, 0x83, 0x01, 0x78,
    ]

    /// `(:caseIgnoreMatch:=Doe)`
    static let extensibleRuleOnly: [UInt8] = [
        0xa9, 0x16, 0x81, 0x0f, 0x63, 0x61, 0x73, 0x65, 0x49, 0x67, 0x6e, 0x6f, 0x72, 0x65, 0x4d, 0x61,
        0x74, 0x63, 0x68, 0x83, 0x03, 0x44, 0x6f, 0x65,
    ]

    /// `(o:=Acme)`
    static let extensibleExplicitFalse: [UInt8] = [
        0xa9, 0x0c, 0x82, 0x01, 0x6f, 0x83, 0x04, 0x41, 0x63, 0x6d, 0x65, 0x84, 0x01, 0x00,
    ]

    /// `(ou:dn:=Sales)`
    static let extensibleBERTrue: [UInt8] = [
        0xa9, 0x0e, 0x82, 0x02, 0x6f, 0x75, 0x83, 0x05, 0x53, 0x61, 0x6c, 0x65, 0x73, 0x84, 0x01, 0x01,
    ]

    /// `(!(mail=*))`
    static let notPresent: [UInt8] = [
        0xa2, 0x06, 0x87, 0x04, 0x6d, 0x61, 0x69, 0x6c,
    ]

    /// `(objectClass=*)`
    static let present: [UInt8] = [
        0x87, 0x0b, 0x6f, 0x62, 0x6a, 0x65, 0x63, 0x74, 0x43, 0x6c, 0x61, 0x73, 0x73,
    ]

    /// `(sn~=smyth)`
    static let approx: [UInt8] = [
        0xa8, 0x0b, 0x04, 0x02, 0x73, 0x6e, 0x04, 0x05, 0x73, 0x6d, 0x79, 0x74, 0x68,
    ]

    /// `(createTimestamp>=20240101000000Z)`
    static let greaterOrEqual: [UInt8] = [
        0xa5, 0x22, 0x04, 0x0f, 0x63, 0x72, 0x65, 0x61, 0x74, 0x65, 0x54, 0x69, 0x6d, 0x65, 0x73, 0x74,
        0x61, 0x6d, 0x70, 0x04, 0x0f, 0x32, 0x30, 0x32, 0x34, 0x30, 0x31, 0x30, 0x31, 0x30, 0x30, 0x30,
        0x30, 0x30, 0x30, 0x5a,
    ]

    /// `(uidNumber<=1000)`
    static let lessOrEqual: [UInt8] = [
        0xa6, 0x11, 0x04, 0x09, 0x75, 0x69, 0x64, 0x4e, 0x75, 0x6d, 0x62, 0x65, 0x72, 0x04, 0x04, 0x31,
        0x30, 0x30, 0x30,
    ]

    /// `(jpegPhoto=\ff\d8\00\2a)`
    static let equalityBinary: [UInt8] = [
        0xa3, 0x11, 0x04, 0x09, 0x6a, 0x70, 0x65, 0x67, 0x50, 0x68, 0x6f, 0x74, 0x6f, 0x04, 0x04, 0xff,
        0xd8, 0x00, 0x2a,
    ]

    /// `(&)`
    static let absoluteTrue: [UInt8] = [
        0xa0, 0x00,
    ]

    /// `(|)`
    static let absoluteFalse: [UInt8] = [
        0xa1, 0x00,
    ]

    /// `(&(objectClass=person)(|(uid=a)(!(uid=b))))`
    static let nested: [UInt8] = [
        0xa0, 0x2f, 0xa3, 0x15, 0x04, 0x0b, 0x6f, 0x62, 0x6a, 0x65, 0x63, 0x74, 0x43, 0x6c, 0x61, 0x73,
        0x73, 0x04, 0x06, 0x70, 0x65, 0x72, 0x73, 0x6f, 0x6e, 0xa1, 0x16, 0xa3, 0x08, 0x04, 0x03, 0x75,
        0x69, 0x64, 0x04, 0x01, 0x61, 0xa2, 0x0a, 0xa3, 0x08, 0x04, 0x03, 0x75, 0x69, 0x64, 0x04, 0x01,
        0x62,
    ]
}

struct FilterCase: Sendable, CustomTestStringConvertible {
    var bytes: [UInt8]
    var filter: SearchFilter
    var string: String
    /// False when the vector uses a BER form that DER writes differently.
    var isDER = true
    var testDescription: String { string }
}

@Suite("Decoding and encoding search filters")
struct FilterCodecTests {
    static let cases: [FilterCase] = [
        FilterCase(
            bytes: FilterVector.substringsAnyOnly,
            filter: .substrings("cn", initial: nil, any: ["foo".bytes], final: nil),
            string: "(cn=*foo*)"
        ),
        FilterCase(
            bytes: FilterVector.substringsAll,
            filter: .substrings("cn", initial: "ab".bytes, any: ["cd".bytes, "ef".bytes], final: "gh".bytes),
            string: "(cn=ab*cd*ef*gh)"
        ),
        FilterCase(
            bytes: FilterVector.substringsFinal,
            filter: .substrings("mail", initial: nil, any: [], final: "@example.org".bytes),
            string: "(mail=*@example.org)"
        ),
        FilterCase(
            bytes: FilterVector.extensibleTypeOnly,
            filter: .extensible(matchingRule: nil, type: "cn", value: "x".bytes, dnAttributes: false),
            string: "(cn:=x)"
        ),
        FilterCase(
            bytes: FilterVector.extensibleRuleOnly,
            filter: .extensible(matchingRule: "caseIgnoreMatch", type: nil, value: "Doe".bytes, dnAttributes: false),
            string: "(:caseIgnoreMatch:=Doe)"
        ),
        FilterCase(
            bytes: FilterVector.extensibleExplicitFalse,
            filter: .extensible(matchingRule: nil, type: "o", value: "Acme".bytes, dnAttributes: false),
            string: "(o:=Acme)",
            isDER: false
        ),
        FilterCase(
            bytes: FilterVector.extensibleBERTrue,
            filter: .extensible(matchingRule: nil, type: "ou", value: "Sales".bytes, dnAttributes: true),
            string: "(ou:dn:=Sales)",
            isDER: false
        ),
        FilterCase(bytes: FilterVector.notPresent, filter: .not(.present("mail")), string: "(!(mail=*))"),
        FilterCase(bytes: FilterVector.present, filter: .present("objectClass"), string: "(objectClass=*)"),
        FilterCase(bytes: FilterVector.approx, filter: .approx("sn", "smyth".bytes), string: "(sn~=smyth)"),
        FilterCase(
            bytes: FilterVector.greaterOrEqual,
            filter: .greaterOrEqual("createTimestamp", "20240101000000Z".bytes),
            string: "(createTimestamp>=20240101000000Z)"
        ),
        FilterCase(
            bytes: FilterVector.lessOrEqual,
            filter: .lessOrEqual("uidNumber", "1000".bytes),
            string: "(uidNumber<=1000)"
        ),
        FilterCase(
            bytes: FilterVector.equalityBinary,
            filter: .equality("jpegPhoto", [0xff, 0xd8, 0x00, 0x2a]),
            string: "(jpegPhoto=\\ff\\d8\\00\\2a)"
        ),
        FilterCase(bytes: FilterVector.absoluteTrue, filter: .and([]), string: "(&)"),
        FilterCase(bytes: FilterVector.absoluteFalse, filter: .or([]), string: "(|)"),
        FilterCase(
            bytes: FilterVector.nested,
            filter: .and([
                .equality("objectClass", "person".bytes),
                .or([.equality("uid", "a".bytes), .not(.equality("uid", "b".bytes))]),
            ]),
            string: "(&(objectClass=person)(|(uid=a)(!(uid=b))))"
        ),
    ]

    @Test("a hand-encoded filter decodes to the expected tree", arguments: cases)
    func decodes(_ vector: FilterCase) throws {
        #expect(try decodeFilter(vector.bytes) == vector.filter)
    }

    @Test("a decoded filter renders as its RFC 4515 string", arguments: cases)
    func renders(_ vector: FilterCase) throws {
        #expect(try decodeFilter(vector.bytes).rfc4515String() == vector.string)
    }

    @Test("encoding a filter gives the DER bytes of the vector", arguments: cases.filter(\.isDER))
    func encodes(_ vector: FilterCase) throws {
        let bytes = try encodeFilter(vector.filter)
        #expect(bytes == vector.bytes, "\(hex(bytes))")
    }

    @Test("dnAttributes TRUE is written as the DER octet 0xFF and FALSE is left out")
    func dnAttributesEncoding() throws {
        let withDN = try encodeFilter(.extensible(matchingRule: nil, type: "ou", value: "Sales".bytes, dnAttributes: true))
        #expect(withDN == [0xa9, 0x0e, 0x82, 0x02, 0x6f, 0x75, 0x83, 0x05, 0x53, 0x61, 0x6c, 0x65, 0x73, 0x84, 0x01, 0xff])
        let withoutDN = try encodeFilter(.extensible(matchingRule: nil, type: "o", value: "Acme".bytes, dnAttributes: false))
        #expect(withoutDN == [0xa9, 0x09, 0x82, 0x01, 0x6f, 0x83, 0x04, 0x41, 0x63, 0x6d, 0x65])
    }

    @Test("a SearchRequest survives an encode and decode round trip")
    func searchRequestRoundTrip() throws {
        let request = SearchRequest(
            baseObject: "ou=people,dc=example,dc=org", scope: .subordinateSubtree, derefAliases: 3,
            sizeLimit: 500, timeLimit: 30, typesOnly: true,
            filter: .and([.substrings("cn", initial: nil, any: ["x".bytes], final: nil), .not(.present("mail"))]),
            attributes: ["cn", "+", "1.1"]
        )
        let message = LDAPMessage(
            messageID: LDAPMessage.maxInt, operation: .searchRequest(request),
            controls: [LDAPControl(oid: "1.3.6.1.4.1.42.2.27.8.5.1", criticality: true)]
        )
        #expect(try decodeMessage(try message.serializedBytes()) == message)
    }
}

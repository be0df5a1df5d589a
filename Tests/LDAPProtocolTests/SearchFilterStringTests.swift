import LDAPProtocol
import Testing

/// `SearchFilter.rfc4515String()`, the string handed to libldap, plus `depth`
/// and `attributeDescriptions`.
@Suite("RFC 4515 filter strings")
struct SearchFilterStringTests {
    @Test(
        "every filter type renders with its RFC 4515 operator",
        arguments: [
            (SearchFilter.equality("uid", "jdoe".bytes), "(uid=jdoe)"),
            (.greaterOrEqual("uidNumber", "1000".bytes), "(uidNumber>=1000)"),
            (.lessOrEqual("uidNumber", "2000".bytes), "(uidNumber<=2000)"),
            (.approx("sn", "smith".bytes), "(sn~=smith)"),
            (.present("mail"), "(mail=*)"),
            (.substrings("cn", initial: "Jo".bytes, any: [], final: nil), "(cn=Jo*)"),
            (.substrings("cn", initial: nil, any: [], final: "hn".bytes), "(cn=*hn)"),
            (.substrings("cn", initial: nil, any: ["o".bytes, "h".bytes], final: nil), "(cn=*o*h*)"),
            (.substrings("cn", initial: "J".bytes, any: ["o".bytes], final: "n".bytes), "(cn=J*o*n)"),
            (.not(.present("mail")), "(!(mail=*))"),
            (.and([.present("cn"), .equality("sn", "x".bytes)]), "(&(cn=*)(sn=x))"),
            (.or([.present("cn"), .not(.equality("sn", "x".bytes))]), "(|(cn=*)(!(sn=x)))"),
            (.and([]), "(&)"),
            (.or([]), "(|)"),
            (.equality("cn;lang-fr", "x".bytes), "(cn;lang-fr=x)"),
            (.equality("2.5.4.3", "x".bytes), "(2.5.4.3=x)"),
            (.equality("cn", []), "(cn=)"),
        ]
    )
    func rendersEveryType(filter: SearchFilter, expected: String) throws {
        #expect(try filter.rfc4515String() == expected)
    }

    @Test(
        "extensible matches render type, :dn and matching rule in RFC 4515 order",
        arguments: [
            (SearchFilter.extensible(matchingRule: "caseExactMatch", type: "cn", value: "x".bytes, dnAttributes: true),
             "(cn:dn:caseExactMatch:=x)"),
            (.extensible(matchingRule: "2.5.13.5", type: nil, value: "x".bytes, dnAttributes: true), "(:dn:2.5.13.5:=x)"),
            (.extensible(matchingRule: "2.5.13.5", type: nil, value: "x".bytes, dnAttributes: false), "(:2.5.13.5:=x)"),
            (.extensible(matchingRule: nil, type: "cn", value: "x".bytes, dnAttributes: false), "(cn:=x)"),
            (.extensible(matchingRule: nil, type: "ou", value: "x*".bytes, dnAttributes: true), "(ou:dn:=x\\2a)"),
        ]
    )
    func rendersExtensible(filter: SearchFilter, expected: String) throws {
        #expect(try filter.rfc4515String() == expected)
    }

    @Test(
        "assertion values escape *, (, ), backslash, NUL, control and non-ASCII octets",
        arguments: [
            ("a*b".bytes, "(cn=a\\2ab)"),
            ("(x)".bytes, "(cn=\\28x\\29)"),
            ("back\\slash".bytes, "(cn=back\\5cslash)"),
            ([0x61, 0x00, 0x62], "(cn=a\\00b)"),
            ("Noémie".bytes, "(cn=No\\c3\\a9mie)"),
            ([0x0a, 0x1f, 0x7f, 0xff], "(cn=\\0a\\1f\\7f\\ff)"),
            (" ~=<>&|!:,+".bytes, "(cn= ~=<>&|!:,+)"),
        ] as [([UInt8], String)]
    )
    func escapesValues(value: [UInt8], expected: String) throws {
        #expect(try SearchFilter.equality("cn", value).rfc4515String() == expected)
    }

    @Test("substring pieces are escaped while the separating stars are not")
    func escapesSubstringPieces() throws {
        let filter = SearchFilter.substrings("cn", initial: "a*".bytes, any: ["(b)".bytes], final: "\\".bytes)
        #expect(try filter.rfc4515String() == "(cn=a\\2a*\\28b\\29*\\5c)")
    }

    @Test(
        "an injection attempt stays one escaped assertion value",
        arguments: ["*)(uid=*", "*)(|(objectClass=*", "x)(!(cn=y", "admin)(&)"]
    )
    func injectionStaysOneValue(value: String) throws {
        let rendered = try SearchFilter.and([.equality("uid", value.bytes), .present("mail")]).rfc4515String()
        // The only parentheses left are the structure's own: (&(uid=…)(mail=*)).
        #expect(rendered.filter { $0 == "(" }.count == 3)
        #expect(rendered.filter { $0 == ")" }.count == 3)
        #expect(!rendered.contains("*)("))
        #expect(rendered.hasPrefix("(&(uid="))
        #expect(rendered.hasSuffix(")(mail=*))"))
    }

    @Test("the classic injection value *)(uid=* renders exactly escaped")
    func classicInjection() throws {
        #expect(try SearchFilter.equality("uid", "*)(uid=*".bytes).rfc4515String() == "(uid=\\2a\\29\\28uid=\\2a)")
    }

    @Test(
        "an invalid attribute description throws protocolError wherever it appears",
        arguments: [
            SearchFilter.equality("cn)(x", "y".bytes),
            .equality("", "y".bytes),
            .equality("1.", "y".bytes),
            .equality("1", "y".bytes),
            .equality("01.2", "y".bytes),
            .equality("cn;", "y".bytes),
            .equality("cn;lang fr", "y".bytes),
            .equality("-cn", "y".bytes),
            .equality("cn=x", "y".bytes),
            .equality("né", "y".bytes),
            .present("cn)(x"),
            .present(""),
            .greaterOrEqual("a*", "1".bytes),
            .lessOrEqual("(a", "1".bytes),
            .approx("a b", "1".bytes),
            .substrings("cn)(uid=*", initial: "x".bytes, any: [], final: nil),
            .extensible(matchingRule: nil, type: "cn)(x", value: "y".bytes, dnAttributes: false),
            .extensible(matchingRule: "caseExactMatch)(x", type: "cn", value: "y".bytes, dnAttributes: false),
            .extensible(matchingRule: "2.5.13.", type: nil, value: "y".bytes, dnAttributes: true),
            .not(.present("1.")),
            .and([.present("cn"), .present("")]),
            .or([.present("cn"), .equality("cn)(x", [])]),
        ]
    )
    func invalidAttributeDescriptionThrows(filter: SearchFilter) throws {
        let error = #expect(throws: LDAPOperationError.self) { try filter.rfc4515String() }
        #expect(error?.code == .protocolError)
    }

    @Test(
        "attribute descriptions follow RFC 4512 §2.5",
        arguments: [
            ("cn", true), ("userPassword", true), ("x-custom-attr", true), ("cn;lang-fr;binary", true),
            ("2.5.4.3", true), ("0.9", true), ("1.3.6.1.4.1.1466.115.121.1.15", true),
            ("", false), ("1.", false), ("1", false), (".1", false), ("1..2", false), ("01.2", false),
            ("cn;", false), (";x", false), ("c_n", false), ("9cn", false), ("cn)(x", false), ("cn ", false),
        ]
    )
    func attributeDescriptionSyntax(description: String, isValid: Bool) {
        #expect(AttributeDescription.isValid(description) == isValid)
    }

    @Test(
        "depth counts one per and, or and not level",
        arguments: [
            (SearchFilter.present("cn"), 1),
            (.and([]), 1),
            (.not(.present("cn")), 2),
            (.and([.present("cn"), .or([.present("sn"), .not(.present("uid"))])]), 4),
            (.or([.and([.present("a")]), .present("b")]), 3),
            (.not(.not(.not(.equality("a", [])))), 4),
        ]
    )
    func depth(filter: SearchFilter, expected: Int) {
        #expect(filter.depth == expected)
    }

    @Test("attributeDescriptions collects every named attribute once, and none for a typeless extensible match")
    func attributeDescriptions() {
        let filter = SearchFilter.and([
            .equality("uid", []),
            .or([.present("mail"), .substrings("cn", initial: [0x61], any: [], final: nil)]),
            .not(.greaterOrEqual("uidNumber", [])),
            .lessOrEqual("uidNumber", []),
            .approx("sn", []),
            .extensible(matchingRule: "2.5.13.5", type: nil, value: [], dnAttributes: true),
            .extensible(matchingRule: nil, type: "ou", value: [], dnAttributes: false),
        ])
        #expect(filter.attributeDescriptions == ["uid", "mail", "cn", "uidNumber", "sn", "ou"])
        #expect(SearchFilter.and([]).attributeDescriptions.isEmpty)
        #expect(SearchFilter.everything.attributeDescriptions == ["objectClass"])
    }
}

import LDAPProtocol
import Testing

/// RFC 4514 parsing and the comparison rules of `DistinguishedName`.
@Suite("Distinguished names (RFC 4514)")
struct DistinguishedNameTests {
    @Test("types and values compare without case, spaces around separators do not count, UTF-8 values lower-case by Unicode's rules")
    func normalisation() throws {
        let a = try DistinguishedName("UID=XXX0606XX01, ou=People ,DC=annuaire,dc=LOCAL")
        let b = try DistinguishedName("uid=xxx0606xx01,ou=people,dc=annuaire,dc=local")
        #expect(a == b)
        #expect(a.description == "uid=xxx0606xx01,ou=people,dc=annuaire,dc=local")
        #expect(try DistinguishedName("cn=ÉLODIE,o=x").description == "cn=élodie,o=x")
        #expect(try DistinguishedName("2.5.4.3=T1,o=x").rdns.first?.first?.type == "2.5.4.3")
    }

    @Test("escapes: a hex pair, an escaped comma and plus, an escaped trailing space kept, unescaped trailing spaces dropped")
    func escapes() throws {
        #expect(try DistinguishedName(#"cn=a\2Cb,o=x"#) == DistinguishedName(#"cn=a\,b,o=x"#))
        #expect(try DistinguishedName(#"cn=a\,b,o=x"#).rdns.count == 2)
        #expect(try DistinguishedName(#"cn=a\+b,o=x"#).rdns.first?.count == 1)
        #expect(try DistinguishedName(#"cn=a\ ,o=x"#).leafValue("cn") == "a ")
        #expect(try DistinguishedName("cn=a  ,o=x").leafValue("cn") == "a")
        #expect(try DistinguishedName(#"cn=\ a,o=x"#).leafValue("cn") == " a")
        #expect(try DistinguishedName(#"cn=a\20"#).leafValue("cn") == "a ")
    }

    @Test("the string form escapes values (RFC 4514 §2.4): an escaped comma stays one RDN, not two")
    func serialisationKeepsTheRDNs() throws {
        let dn = try DistinguishedName(#"cn=a\,ou=b,dc=x"#)
        #expect(dn.rdns.count == 2)
        #expect(dn.description == #"cn=a\,ou=b,dc=x"#)
        #expect(try DistinguishedName(dn.description) == dn)
        #expect(try DistinguishedName(dn.description).rdns.count == 2)
    }

    @Test("every special character of RFC 4514 §2.4 survives a round trip through the string form", arguments: [
        (#"a\,b"#, "a,b"), (#"a\+b"#, "a+b"), (#"a\"b"#, "a\"b"), (#"a\\b"#, "a\\b"), (#"a\<b\>"#, "a<b>"), (#"a\;b"#, "a;b"),
        (##"\#lead"##, "#lead"), (#"\ lead"#, " lead"), (#"trail\ "#, "trail "), (#"\ "#, " "), (#"nul\00byte"#, "nul\u{0}byte"),
        ("a=b", "a=b"), ("élodie", "élodie"), (#"\c3\a9"#, "é"), ("a#b", "a#b"),
    ])
    func serialisationRoundTrip(_ escaped: String, _ value: String) throws {
        let dn = try DistinguishedName("cn=\(escaped),o=x")
        #expect(dn.leafValue("cn") == value)
        let again = try DistinguishedName(dn.description)
        #expect(again == dn)
        #expect(again.rdns.count == 2)
        #expect(again.leafValue("cn") == value)
    }

    @Test("the string form escapes exactly what RFC 4514 §2.4 requires, as OpenLDAP writes it")
    func serialisationText() throws {
        #expect(try DistinguishedName(#"CN=Smith\, John+UID=x\2B1,O=ACME"#).description == #"cn=smith\, john+uid=x\+1,o=acme"#)
        #expect(try DistinguishedName(##"cn=\#a\20,o=x"##).description == ##"cn=\#a\ ,o=x"##)
        #expect(try DistinguishedName(#"cn=\ \ ,o=x"#).description == #"cn=\ \ ,o=x"#)
        #expect(try DistinguishedName(#"cn=a\00b\<\>\;\"\\,o=x"#).description == #"cn=a\00b\<\>\;\"\\,o=x"#)
        #expect(try DistinguishedName("cn=a#b=c,o=x").description == "cn=a#b=c,o=x")
    }

    @Test("a multi-valued RDN is unordered; isWithin and isBelow follow the tree")
    func structure() throws {
        #expect(try DistinguishedName("cn=a+sn=b,o=x") == DistinguishedName("sn=b+cn=a,o=x"))
        let group = try DistinguishedName("cn=T1,cn=CONV,o=x")
        let convention = try DistinguishedName("cn=conv,o=x")
        #expect(group.isBelow(convention))
        #expect(convention.isWithin(convention))
        #expect(!convention.isBelow(convention))
        #expect(try DistinguishedName("").rdns.isEmpty)
        #expect(try DistinguishedName("   ").rdns.isEmpty)
    }

    @Test("bad types, a missing '=', a final backslash and numeric OIDs with leading zeros or one arc are refused with invalidDNSyntax", arguments: [
        "c n=x", "cn;lang-fr=x", "=x", "cn", #"cn=x\"#, "2.5.04.3=x", "2=x", "1..2=x", "-cn=x",
    ])
    func refused(_ text: String) {
        #expect {
            _ = try DistinguishedName(text)
        } throws: { error in
            (error as? LDAPOperationError)?.code == .invalidDNSyntax
        }
    }
}

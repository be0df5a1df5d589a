import LDAPProtocol
import Testing

/// The text-level DN helpers: escaping a value (RFC 4514 §2.4), parents and
/// leaf values that keep the caller's spelling and respect escapes.
@Suite("DN text helpers (RFC 4514)")
struct DistinguishedNameTextTests {
    @Test("an escaped value parses back to itself, alone in its RDN", arguments: [
        "a,b", "a+b", "a\"b", "a\\b", "a<b>", "a;b", "#lead", " lead", "trail ", " ", "  ", "nul\u{0}byte", "a=b", "Élodie", "a#b", "",
    ])
    func escapeRoundTrip(_ value: String) throws {
        let dn = try DistinguishedName("cn=\(DistinguishedName.escape(value)),o=x")
        #expect(dn.rdns.count == 2)
        #expect(dn.rdns.first?.count == 1)
        #expect(dn.leafValue("cn") == value.lowercased())
        #expect(DistinguishedName.leafValue(of: "cn=\(DistinguishedName.escape(value)),o=x") == value)
    }

    @Test("escape writes what RFC 4514 §2.4 asks and nothing more")
    func escapeText() {
        #expect(DistinguishedName.escape("Smith, John") == #"Smith\, John"#)
        #expect(DistinguishedName.escape(#"#a "b"+c;<d>\ "#) == ##"\#a \"b\"\+c\;\<d\>\\\ "##)
        #expect(DistinguishedName.escape("a#b=c é") == "a#b=c é")
        #expect(DistinguishedName.escape("\u{0}") == #"\00"#)
    }

    @Test("parent and ancestor cut at unescaped separators only and keep the spelling")
    func parents() {
        #expect(DistinguishedName.parent(of: "cn=T1,cn=CONV,O=X") == "cn=CONV,O=X")
        #expect(DistinguishedName.parent(of: #"cn=a\,b,o=x"#) == "o=x")
        #expect(DistinguishedName.parent(of: #"cn=a\\,o=x"#) == "o=x")
        #expect(DistinguishedName.parent(of: "cn=a, o=x") == "o=x")
        #expect(DistinguishedName.parent(of: "o=x") == "")
        #expect(DistinguishedName.parent(of: "") == "")
        #expect(DistinguishedName.ancestor(of: #"annMemberUid=u1,cn=T\,1,cn=C1,ou=p"#, levels: 2) == "cn=C1,ou=p")
        #expect(DistinguishedName.ancestor(of: "cn=a,o=x", levels: 0) == "cn=a,o=x")
        #expect(DistinguishedName.ancestor(of: "cn=a,o=x", levels: 5) == "")
        #expect(DistinguishedName.ancestor(of: "cn=a, o=x  ", levels: 1) == "o=x")
        #expect(DistinguishedName.ancestor(of: #"cn=a,o=x\ "#, levels: 1) == #"o=x\ "#)
        #expect(DistinguishedName.ancestor(of: #"cn=a,o=x\\ "#, levels: 1) == #"o=x\\"#)
    }

    @Test("leafValue undoes escapes (hex pairs included), keeps the case, drops unescaped outer spaces")
    func leafValues() {
        #expect(DistinguishedName.leafValue(of: "cn=T1,cn=CONV") == "T1")
        #expect(DistinguishedName.leafValue(of: #"cn=Smith\, John,o=x"#) == "Smith, John")
        #expect(DistinguishedName.leafValue(of: #"cn=a\2Cb\c3\a9,o=x"#) == "a,bé")
        #expect(DistinguishedName.leafValue(of: "cn= T1 ,o=x") == "T1")
        #expect(DistinguishedName.leafValue(of: #"cn=T1\ ,o=x"#) == "T1 ")
        #expect(DistinguishedName.leafValue(of: "cn=a+sn=b,o=x") == "a")
        #expect(DistinguishedName.leafValue(of: "T1") == "T1")
    }
}

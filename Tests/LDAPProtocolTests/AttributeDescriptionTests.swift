import LDAPProtocol
import Testing

/// RFC 4512 §2.5: attributedescription = attributetype options; options = *( SEMI option ); option = 1*keychar;
/// attributetype = descr / numericoid (§1.4: no leading zero in a number, at least two numbers).
@Suite("Attribute descriptions (RFC 4512 §2.5)")
struct AttributeDescriptionTests {
    @Test("valid: names, OIDs and options", arguments: [
        "cn", "CN", "userPassword", "x-tag", "a1-b2", "cn;binary", "cn;lang-fr;binary", "2.5.4.3", "0.9", "2.5.4.35;x-y",
        "1.3.6.1.4.1.4203.1.11.3", "a;b",
    ])
    func valid(_ description: String) {
        #expect(AttributeDescription.isValid(description))
    }

    @Test("invalid: empty parts, bad characters, leading zeros, single numbers", arguments: [
        "", ";", "cn;", "cn;;binary", ";binary", "c n", "cn;bin ary", "cn;lang_fr", "1cn", "-cn", "2", "2.", ".2", "2..5",
        "01.2", "2.05", "2.5.x", "cé", "cn;é", "cn\u{0}", "*", "1.1;", "é",
    ])
    func invalid(_ description: String) {
        #expect(!AttributeDescription.isValid(description))
    }
}

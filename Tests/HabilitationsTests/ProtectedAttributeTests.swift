import Habilitations
import Testing

/// R8: the password and recovery attributes are never returned, compared nor filtered on, however
/// a client or slapd spells them (case, options, OID, Unicode case mapping).
@Suite("Protected attributes, every spelling")
struct ProtectedAttributeTests {
    @Test("userPassword, pwdHistory and the recovery token, in any case, with options or as OIDs, are protected", arguments: [
        "userPassword", "USERPASSWORD", "userpassword", "uSeRpAsSwOrD;binary", "2.5.4.35", "2.5.4.35;x-tag",
        "pwdHistory", "PWDHISTORY", "annRecoveryTokenHash", "ANNRECOVERYEXPIRY;lang-fr",
        "2.25.309896955993207786281445528786519232768.1.30", "2.25.309896955993207786281445528786519232768.1.31",
        // The Kelvin sign (U+212A) lowercases to an ASCII "k": the slow path still recognises the name.
        "annRecoveryTo\u{212A}enHash",
    ])
    func protected(_ name: String) {
        #expect(AccessPolicy.isProtected(name))
    }

    @Test("other attributes, including near spellings, are not", arguments: [
        "uid", "mail", "userPasswords", "userPasswor", "user-Password", "2.5.4.3", "2.5.4.350", "pwdHistoryX",
        "annRecoveryTokenHas", "", ";binary", "cn;userPassword", "ùserPassword",
    ])
    func notProtected(_ name: String) {
        #expect(!AccessPolicy.isProtected(name))
    }

    @Test("the fast comparison agrees with the general one (lowercased base type in the set) on every ASCII spelling tried")
    func agreesWithGeneralRule() {
        let names = AccessPolicy.protectedAttributes.flatMap { [$0, $0.uppercased(), $0 + ";binary", String($0.dropLast()), $0 + "s"] }
            + ["uid", "cn", "USERPASSWORD;lang-en;binary", "member", "memberOf"]
        for name in names {
            #expect(AccessPolicy.isProtected(name) == AccessPolicy.protectedAttributes.contains(AccessPolicy.baseType(name)), "\(name)")
        }
    }
}

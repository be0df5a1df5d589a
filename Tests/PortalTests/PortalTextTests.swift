@testable import Portal
import Messages
import LDAPProtocol
import Foundation
import Testing

/// The catalogue (French and English for every text) and the way server refusals become
/// French texts next to their fields.
@Suite struct PortalTextTests {
    @Test func everyTextHasBothLanguages() {
        for (key, entry) in PortalTexts.catalogue {
            #expect(!entry.fr.isEmpty && !entry.en.isEmpty, "\(key)")
        }
    }

    @Test func noKeyIsBothATextAndAPrefix() {
        let keys = Set(PortalTexts.catalogue.keys)
        for key in keys {
            #expect(!keys.contains { $0.hasPrefix(key + ".") }, "\(key) is a text and a prefix: templates could not reach both")
        }
    }

    @Test func passwordCriteriaAreNamedOneByOne() {
        let problems = PasswordProblem.parse(
            "R6: the new password is refused: it has 3 characters; at least 12 are needed; it mixes 1 kinds of characters; use at least 3 of lower case, upper case, digits and other characters; it contains your identifier")
        #expect(problems.contains(.tooShort(length: 3, minimum: 12)))
        #expect(problems.contains(.containsIdentifier))
        #expect(problems.first { if case .tooFewKinds = $0 { true } else { false } } != nil)
        #expect(PasswordProblem.tooShort(length: 3, minimum: 12).text(.french) == "Il contient 3 caractères ; il en faut au moins 12 (R6).")
        #expect(PasswordProblem.parse("Password is in history of old passwords") == [.inHistory])
        // The server's French wording (its default) gives the same criteria.
        let french = PasswordProblem.parse(
            "R6 : le nouveau mot de passe est refusé : il a 3 caractères ; il en faut au moins 12 ; il mêle 1 sortes de caractères ; utilisez-en au moins 3 parmi minuscules, majuscules, chiffres et autres caractères ; il contient votre identifiant ; il contient votre nom ; il contient votre prénom")
        #expect(french == [.tooShort(length: 3, minimum: 12), .tooFewKinds(kinds: 1, required: 3), .containsIdentifier, .containsLastName, .containsFirstName])
    }

    @Test func createUserRefusalsLandNextToTheirField() {
        let mismatch = FieldProblem.place(LDAPOperationError(.constraintViolation, "R4: the two e-mail addresses differ (mail, mailConfirmation)"), language: .french)
        #expect(mismatch.field == "mailConfirmation")
        #expect(mismatch.message == "Les deux adresses mail sont différentes. (R4)")
        let phone = FieldProblem.place(LDAPOperationError(.constraintViolation, "R4: the phone number (telephoneNumber) \"x\" is not a phone number"), language: .english)
        #expect(phone.field == "telephoneNumber")
        // The server's French wording (its default) lands on the same fields.
        let shared = FieldProblem.place(LDAPOperationError(.constraintViolation, "R4 : equipe@caf.fr est une boîte partagée ; donnez l'adresse nominative de la personne"), language: .french)
        #expect(shared.field == "mail")
        let group = FieldProblem.place(LDAPOperationError(.constraintViolation, "R4 : le groupe d'habilitation cn=X n'est pas un groupe de la convention cn=C"), language: .english)
        #expect(group.field == "group")
        let denied = FieldProblem.place(LDAPOperationError(.insufficientAccessRights, "R8: not yours"), language: .french)
        let missing = FieldProblem.place(LDAPOperationError(.noSuchObject, ""), language: .french)
        #expect(denied == missing, "a refused entry and a missing one read the same")
    }

    @Test func groupRefusalsLandNextToTheirField() {
        let taken = FieldProblem.place(LDAPOperationError(.entryAlreadyExists, "R2: the group code T1 is already used"), language: .french)
        #expect(taken.field == "code")
        let role = FieldProblem.place(LDAPOperationError(.constraintViolation, "R3: profile cn=X,cn=Y,ou=services,dc=a is not granted by convention cn=C"), language: .french)
        #expect(role.field == "roles")
        #expect(role.message.hasSuffix("(R3)"))
        let responsible = FieldProblem.place(
            LDAPOperationError(.constraintViolation, "R2: the responsible administrator (annResponsible) uid=Z is not a user of convention cn=C"), language: .english)
        #expect(responsible.field == "responsible")
        #expect(responsible.message == "Choose a user of the convention. (R2)")
    }

    /// The server words refusals in French by default: they land on the same fields, the rule id kept.
    @Test func frenchRefusalsLandNextToTheirFieldToo() {
        let mismatch = FieldProblem.place(LDAPOperationError(.constraintViolation, "R4 : les deux adresses mail diffèrent (mail, mailConfirmation)"), language: .french)
        #expect(mismatch == FieldProblem(field: "mailConfirmation", message: "Les deux adresses mail sont différentes. (R4)"))
        let code = FieldProblem.place(
            LDAPOperationError(.constraintViolation, "R2 : le code du groupe (cn) « T 1 » doit être un mnémonique court"), language: .french)
        #expect(code.field == "code")
        #expect(code.message.hasSuffix("(R2)"))
        let role = FieldProblem.place(
            LDAPOperationError(.constraintViolation, "R3 : le profil cn=T9,cn=CDAP,ou=services,dc=a n'est pas accordé par la convention cn=C"), language: .french)
        #expect(role.field == "roles")
        let dates = FieldProblem.place(
            LDAPOperationError(.constraintViolation, "R2 : la date de clôture (annCloseDate) est antérieure à la date d'ouverture (annOpenDate)"), language: .french)
        #expect(dates == FieldProblem(field: "closeDate", message: "La date de clôture est avant la date d'ouverture. (R2)"))
        let again = FieldProblem.place(LDAPOperationError(.entryAlreadyExists, "R5 : X est déjà rattaché au groupe T1"), language: .french)
        #expect(again.field == nil)
        #expect(again.message.hasSuffix("(R5)"))
    }

    /// An unknown refusal keeps the server's words, without the LDAP vocabulary.
    @Test func otherRefusalsLoseTheirLDAPVocabulary() {
        let text = FieldProblem.plain("R5 : le membre (annMember) uid=XXX0606XX12,ou=people,dc=annuaire,dc=local n'est pas un utilisateur de la convention")
        #expect(text == "R5 : le membre XXX0606XX12 n'est pas un utilisateur de la convention")
    }

    @Test func historyChangesReadAsPeopleSayThem() {
        let label = HistoryChangeText(stored: #"{"attribute":"annLabel","new":["CDAP T1 bis"],"old":["CDAP T1"]}"#)
        #expect(label?.text(language: .french, services: "ou=services,dc=a") == "Libellé : CDAP T1 → CDAP T1 bis")
        let roles = HistoryChangeText(attribute: "annRole", old: [], new: ["cn=T1,cn=CDAP,ou=services,dc=a"])
        #expect(roles.text(language: .english, services: "ou=services,dc=a") == "Roles: +CDAP/T1")
        let close = HistoryChangeText(attribute: "annCloseDate", old: [], new: ["20211009000000Z"])
        #expect(close.text(language: .french, services: "ou=services,dc=a") == "Date de clôture : ∅ → 09/10/2021")
        #expect(HistoryChangeText(stored: "not json") == nil)
        #expect(PortalDate.displayTime("20210720143005Z") == "20/07/2021 16:30:05", "summer time in Paris")
        #expect(PortalDate.displayTime("20211209143005Z") == "09/12/2021 15:30:05", "winter time in Paris")
    }

    @Test func datesBothWays() {
        #expect(PortalDate.generalized("20/07/2021") == "20210720000000Z")
        #expect(PortalDate.generalized("2021-07-20") == "20210720000000Z")
        #expect(PortalDate.generalized("31/02/2021") == nil)
        #expect(PortalDate.generalized("demain") == nil)
        #expect(PortalDate.display("20210720000000Z") == "20/07/2021")
    }

    @Test func formDecoding() {
        let form = FormData("identifiant=XXX0606XX01&motdepasse=a%2Bb+c%26d&vide=&csrf=t")
        #expect(form["identifiant"] == "XXX0606XX01")
        #expect(form["motdepasse"] == "a+b c&d")
        #expect(form.text("vide") == nil)
        let boxes = FormData("roles=cn%3DT1&roles=&roles=cn%3DT2&code=G")
        #expect(boxes.all("roles") == ["cn=T1", "cn=T2"])
        #expect(boxes["roles"] == "cn=T1")
        #expect(PortalDate.now(Date(timeIntervalSince1970: 0)) == "19700101000000Z")
        #expect(PortalDate.today(Date(timeIntervalSince1970: 86_399)) == "19700101000000Z")
    }
}

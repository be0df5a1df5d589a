import Messages
import Testing

@Suite("Message catalogue")
struct CatalogueTests {
    @Test("French by default; LANG=en_US.UTF-8 gives English; LC_ALL wins over LANG; a flag wins over both")
    func languageChoice() {
        #expect(Language.chosen(environment: [:]) == .french)
        #expect(Language.chosen(environment: ["LANG": "C.UTF-8"]) == .french)
        #expect(Language.chosen(environment: ["LANG": "en_US.UTF-8"]) == .english)
        #expect(Language.chosen(environment: ["LANG": "en_US.UTF-8", "LC_ALL": "fr_FR.UTF-8"]) == .french)
        #expect(Language.chosen(flag: "fr", environment: ["LANG": "en_US.UTF-8"]) == .french)
        #expect(Language.chosen(flag: "en", environment: [:]) == .english)
        #expect(Language.chosen(environment: ["ANNUAIRE_LANG": "en", "LANG": "fr_FR.UTF-8"]) == .english)
    }

    @Test("Placeholders are filled; an unknown one stays as written")
    func placeholders() {
        let french = Catalogue(.french)
        #expect(french(.groupClosed, ("code", "T1B"), ("date", "25/08/2021")) == "Groupe T1B clôturé à partir du 25/08/2021.")
        #expect(Catalogue(.english)(.groupClosed, ("code", "T1B")) == "Closed group T1B from {date}.")
    }

    @Test("Every key has a text in both languages with the same placeholders, and refusals keep their rule id first")
    func completeness() {
        for message in Message.allCases {
            let french = Catalogue(.french).text(message)
            let english = Catalogue(.english).text(message)
            #expect(!french.isEmpty && !english.isEmpty, "\(message)")
            if message.rawValue.hasPrefix("rule") {
                let rule = french.prefix(while: { $0 != " " && $0 != ":" })
                #expect(english.hasPrefix(rule), "\(message): \(english)")
            }
            // The same placeholders on both sides.
            #expect(Self.placeholders(french) == Self.placeholders(english), "\(message)")
        }
        #expect(Catalogue(.french).text(.statusClosed) == "Clôturé")
    }

    /// The rule ids (R1…R11) a text names.
    static func ruleIDs(_ text: String) -> Set<String> {
        var ids: Set<String> = []
        var rest = Substring(text)
        while let r = rest.firstIndex(of: "R") {
            let digits = rest[rest.index(after: r)...].prefix(while: \.isNumber)
            if !digits.isEmpty, let value = Int(digits), (1...11).contains(value) { ids.insert("R\(value)") }
            rest = rest[rest.index(after: r)...]
        }
        return ids
    }

    @Test("every refusal names its rule first in both languages (R2…R11, or the rule given as {rule}), and both languages name the same rules")
    func ruleIDsInEveryRefusal() {
        var refusals = 0
        for message in Message.allCases {
            let french = Catalogue(.french).text(message)
            let english = Catalogue(.english).text(message)
            #expect(Self.ruleIDs(french) == Self.ruleIDs(english), "\(message): \(french) / \(english)")
            let name = message.rawValue
            guard name.hasPrefix("rule") || (name.first == "r" && name.dropFirst().first?.isNumber == true) else { continue }
            refusals += 1
            for text in [french, english] {
                let head = String(text.prefix(while: { $0 != ":" }).filter { $0 != " " })
                let named = head == "{rule}" || head.split(separator: ",").allSatisfy { part in
                    let id = String(part)
                    return id.hasPrefix("R") && Int(id.dropFirst()).map { (1...11).contains($0) } == true
                }
                #expect(named, "\(message) does not open with its rule id: \(text)")
            }
        }
        // The server's refusals are catalogued, not only the CLI's: R8's delegation texts among them.
        #expect(refusals >= 100, "\(refusals) refusals found")
        #expect(Catalogue(.french).text(.r8ApplicationReadOnly) == "R8 : les comptes d'application ne modifient rien")
        #expect(Catalogue(.english).text(.r8ApplicationReadOnly) == "R8: application accounts are read-only")
    }

    @Test("R6 names each failed password criterion, in the reader's language, with French punctuation in French")
    func passwordCriteria() {
        func refusal(_ catalogue: Catalogue) -> String {
            let criteria = [
                catalogue(.passwordCriterionTooShort, ("length", "3"), ("minimum", "12")),
                catalogue(.passwordCriterionTooFewKinds, ("kinds", "1"), ("required", "3")),
                catalogue.text(.passwordCriterionIdentifier),
            ]
            return catalogue(.r6PasswordRefused, ("problems", criteria.joined(separator: catalogue.text(.listSeparator))))
        }
        #expect(refusal(Catalogue(.french)) == "R6 : le nouveau mot de passe est refusé : il a 3 caractères ; il en faut au moins 12 ; il mêle 1 sortes de caractères ; utilisez-en au moins 3 parmi minuscules, majuscules, chiffres et autres caractères ; il contient votre identifiant")
        #expect(refusal(Catalogue(.english)) == "R6: the new password is refused: it has 3 characters; at least 12 are needed; it mixes 1 kinds of characters; use at least 3 of lower case, upper case, digits and other characters; it contains your identifier")
    }

    @Test("no text is left untranslated: a French text equal to its English one is a code, a name or a proper noun")
    func translated() {
        // Texts legitimately the same in both languages.
        let same: Set<Message> = [.headerDescription, .headerServices, .headerHabilitations, .fieldConvention, .historyHeaderTime, .historyHeaderAction, .headerCode, .headerMessage, .headerConvention, .dashboardConvention, .helpDeskTitle, .helpDeskLine, .historyHeaderConventions]
        for message in Message.allCases where !same.contains(message) {
            #expect(Catalogue(.french).text(message) != Catalogue(.english).text(message), "\(message) has the same text in both languages")
        }
    }

    static func placeholders(_ text: String) -> Set<String> {
        var names: Set<String> = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.insert(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }
}

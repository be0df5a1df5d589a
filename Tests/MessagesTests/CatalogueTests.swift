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

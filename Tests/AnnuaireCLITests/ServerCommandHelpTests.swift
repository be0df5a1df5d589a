import AnnuaireCLI
import ArgumentParser
import Foundation
import Messages
import Testing

@testable import annuaire

/// The server's own commands (`serve`, `portal`, `backup`, `restore`,
/// `status`) speak the reader's language like the administrators' ones
/// (issue #16, item 5): their descriptions, discussions and every option's
/// help are texts of the message catalogue, French by default, English with
/// `LANG=en_US.UTF-8` or `ANNUAIRE_LANG=en`. A literal left in an
/// `@Option(help:)` or a `discussion:` fails here, naming the option.
@Suite("Server commands' help from the catalogue (issue #16)")
struct ServerCommandHelpTests {
    static let serverCommands: [any ParsableCommand.Type] = [
        ServeCommand.self, PortalCommand.self, BackupCommand.self, RestoreCommand.self, StatusCommand.self,
    ]

    static func context(_ environment: [String: String]) -> CLIContext {
        CLIContext(output: CapturedOutput(), errorOutput: CapturedOutput(), environment: environment, configurationFiles: [], promptPassword: { _ in nil })
    }

    /// `annuaire <command> --help` as ArgumentParser renders it in `environment`, lines not wrapped.
    static func help(_ command: any ParsableCommand.Type, _ environment: [String: String]) -> String {
        CLIContext.$current.withValue(context(environment)) {
            Annuaire.helpMessage(for: command, columns: 100_000)
        }
    }

    /// Every description, discussion and option help of `command`, by where it is, as rendered in `environment`.
    static func helpTexts(_ command: any ParsableCommand.Type, _ environment: [String: String]) throws -> [String: String] {
        let json = CLIContext.$current.withValue(context(environment)) { command._dumpHelp() }
        let root = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let dumped = try #require(root["command"] as? [String: Any])
        let path = "annuaire " + (dumped["commandName"] as? String ?? "?")
        var texts: [String: String] = [:]
        for key in ["abstract", "discussion"] {
            if let text = dumped[key] as? String, !text.isEmpty { texts["\(path) (\(key))"] = text }
        }
        for argument in dumped["arguments"] as? [[String: Any]] ?? [] {
            let names = (argument["names"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            let name = names.first ?? (argument["valueName"] as? String ?? "?")
            for key in ["abstract", "discussion"] {
                guard let text = argument[key] as? String, !text.isEmpty, !HelpLanguageTests.parserTexts.contains(text) else { continue }
                texts["\(path) --\(name) (\(key))"] = text
            }
        }
        return texts
    }

    @Test("annuaire serve --help is French by default and English with LANG=en_US.UTF-8 or ANNUAIRE_LANG=en")
    func serveHelpInTheReadersLanguage() {
        let french = Self.help(ServeCommand.self, [:])
        let english = Self.help(ServeCommand.self, ["LANG": "en_US.UTF-8"])
        let french2 = Self.help(ServeCommand.self, ["LANG": "fr_FR.UTF-8"])
        let english2 = Self.help(ServeCommand.self, ["ANNUAIRE_LANG": "en", "LANG": "fr_FR.UTF-8"])
        #expect(french == french2)
        #expect(english == english2)
        // A plain option, a flag with its --no- inversion, an option with its own discussion,
        // an option of the portal's session group, and the command's discussion.
        let samples: [Message] = [
            .helpServe, .discussionServe, .helpServeListen, .helpServeFastPath, .helpServeRequireTLS,
            .helpServeMaxConnections, .discussionServeMaxConnections, .helpServeArgon2, .discussionServeArgon2,
            .helpServeMailTemplates, .discussionServeMailTemplates, .helpServerTLSKey, .helpServerLogLevel,
            .helpPortalIdleMinutes, .helpPortalPlainHTTP,
        ]
        for message in samples {
            let frenchText = Catalogue(.french).text(message)
            let englishText = Catalogue(.english).text(message)
            #expect(french.contains(frenchText), "\(message): \"\(frenchText)\" is not in the French help")
            #expect(!french.contains(englishText), "\(message): \"\(englishText)\" is in the French help")
            #expect(english.contains(englishText), "\(message): \"\(englishText)\" is not in the English help")
            #expect(!english.contains(frenchText), "\(message): \"\(frenchText)\" is in the English help")
        }
        #expect(french.contains("Adresse et port d'écoute."))
        #expect(english.contains("Address and port to listen on."))
        #expect(french.contains("--listen <listen>"), "the options keep their names")
    }

    @Test("every description, discussion and option help of serve, portal, backup, restore and status is a catalogue text: French by default, English with LANG=en_US.UTF-8, never the same")
    func everyServerHelpTextCatalogued() throws {
        let frenchPatterns = try HelpLanguageTests.patterns(.french)
        let englishPatterns = try HelpLanguageTests.patterns(.english)
        var count = 0
        for command in Self.serverCommands {
            let french = try Self.helpTexts(command, [:])
            let english = try Self.helpTexts(command, ["LANG": "en_US.UTF-8"])
            #expect(Set(french.keys) == Set(english.keys), "\(command)")
            for (place, text) in french.sorted(by: { $0.key < $1.key }) {
                count += 1
                let frenchFound = HelpLanguageTests.isCatalogued(text, frenchPatterns)
                #expect(frenchFound, "\(place): \"\(text)\" is not a French text of the catalogue")
                guard let other = english[place] else { continue }
                let englishFound = HelpLanguageTests.isCatalogued(other, englishPatterns)
                #expect(englishFound, "\(place): \"\(other)\" is not an English text of the catalogue")
                #expect(text != other, "\(place): \"\(text)\" is the same in both languages")
            }
        }
        // When written: 5 abstracts, 5 discussions, 69 option helps (serve's 46, --fast-path and
        // --no-fast-path each, with the portal's 4 session options; portal's 12, backup's 4,
        // restore's 3, status's 4) and 3 option discussions; more as options are added.
        #expect(count >= 82, "\(count) help texts found")
    }
}

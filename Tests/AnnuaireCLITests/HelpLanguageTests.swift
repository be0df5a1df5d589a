import AnnuaireCLI
import AnnuaireTestSupport
import ArgumentParser
import Foundation
import Messages
import Testing

/// Issue #16, item 5: the administrators' commands speak the reader's
/// language. Every command's one-line description and every option's help,
/// as ArgumentParser renders them, must be a text of the message catalogue
/// (French by default, English with `LANG=en_US.UTF-8`): a literal left in a
/// command's configuration or an `@Option(help:)` fails here, naming it.
@Suite("CLI help from the catalogue (issue #16)")
struct HelpLanguageTests {
    /// The administrators' commands under a root named `annuaire`, as the executable registers them.
    struct HelpRoot: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "annuaire", abstract: AnnuaireCLI.rootAbstract, subcommands: AnnuaireCLI.commands)
        }
    }

    /// ArgumentParser's own options, whose help it writes itself.
    static let parserTexts: Set<String> = ["Show help information.", "Show the version.", "Show subcommand help information."]

    /// Every help text of the command tree (abstracts and options), by where it is, as rendered in `environment`.
    static func helpTexts(_ environment: [String: String]) throws -> [String: String] {
        let context = CLIContext(
            output: CapturedOutput(), errorOutput: CapturedOutput(), environment: environment, configurationFiles: [], promptPassword: { _ in nil })
        let json = CLIContext.$current.withValue(context) { HelpRoot._dumpHelp() }
        let root = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        var texts: [String: String] = [:]
        func walk(_ command: [String: Any], path: String) {
            if let abstract = command["abstract"] as? String, !parserTexts.contains(abstract) { texts[path] = abstract }
            for argument in command["arguments"] as? [[String: Any]] ?? [] {
                guard let abstract = argument["abstract"] as? String, !abstract.isEmpty, !parserTexts.contains(abstract) else { continue }
                let names = (argument["names"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
                let name = names.last ?? (argument["valueName"] as? String ?? "?")
                texts[path + " --" + name] = abstract
            }
            for sub in command["subcommands"] as? [[String: Any]] ?? [] {
                walk(sub, path: path + " " + (sub["commandName"] as? String ?? "?"))
            }
        }
        walk(try #require(root["command"] as? [String: Any]), path: "annuaire")
        return texts
    }

    /// The catalogue's texts in `language` as patterns, each `{placeholder}` matching any text.
    static func patterns(_ language: Language) throws -> [NSRegularExpression] {
        try Message.allCases.map { message in
            let escaped = NSRegularExpression.escapedPattern(for: Catalogue(language).text(message))
            let pattern = escaped.replacingOccurrences(of: #"\\\{[A-Za-z]+\\\}"#, with: ".*", options: .regularExpression)
            return try NSRegularExpression(pattern: "^" + pattern + "$", options: [.dotMatchesLineSeparators])
        }
    }

    static func isCatalogued(_ text: String, _ patterns: [NSRegularExpression]) -> Bool {
        patterns.contains { $0.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil }
    }

    @Test("every command's description and every option's help is a catalogue text: French by default, English with LANG=en_US.UTF-8, never the same")
    func everyHelpTextCatalogued() throws {
        let french = try Self.helpTexts([:])
        let english = try Self.helpTexts(["LANG": "en_US.UTF-8"])
        #expect(french.count > 150, "\(french.count) help texts found")
        #expect(Set(french.keys) == Set(english.keys))
        let frenchPatterns = try Self.patterns(.french)
        let englishPatterns = try Self.patterns(.english)
        for (place, text) in french.sorted(by: { $0.key < $1.key }) {
            let frenchFound = Self.isCatalogued(text, frenchPatterns)
            #expect(frenchFound, "\(place): \"\(text)\" is not a French text of the catalogue")
            guard let other = english[place] else { continue }
            let englishFound = Self.isCatalogued(other, englishPatterns)
            #expect(englishFound, "\(place): \"\(other)\" is not an English text of the catalogue")
            let translated = text != other
            #expect(translated, "\(place): \"\(text)\" is the same in both languages")
        }
    }

    @Test("a refusal typed by hand (option checks, usage errors) is French by default and English with LANG=en_US.UTF-8")
    func usageErrorsInTheReadersLanguage() async {
        let french = await InProcessCLI.run(["user", "modify", "XXX0606XX11", "--mail", "a@b.fr"], environment: [:])
        #expect(french.status == 64)
        #expect(french.error.contains("--mail et --mail-confirmation vont ensemble (R4"), "\(french.error)")
        let english = await InProcessCLI.run(["user", "modify", "XXX0606XX11", "--mail", "a@b.fr"], environment: ["LANG": "en_US.UTF-8"])
        #expect(english.error.contains("--mail and --mail-confirmation go together (R4"), "\(english.error)")
        let nothing = await InProcessCLI.run(["group", "modify", "T1"], environment: [:])
        #expect(nothing.error.contains("rien à modifier"), "\(nothing.error)")
    }
}

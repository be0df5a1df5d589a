import AnnuaireCLI
import AnnuaireTestSupport
import ArgumentParser
import Foundation
import Habilitations

/// What one in-process run of an `annuaire` command produced.
typealias CLIResult = InProcessCLI.Result

/// Runs `annuaire` commands in-process against a server (`InMemoryServer` or `TestServer`), on a thread of
/// their own (the commands block), with captured output and an injected
/// environment.
struct CLI: Sendable {
    var url: String
    var bindDN: String
    var password: String = DemoDirectory.password
    var environment: [String: String] = [:]

    static let administrator = "uid=XXX0606XX01,ou=people,dc=annuaire,dc=local"
    static let convention = "cn=CONV-0606-001,cn=PART0606,ou=partners,dc=annuaire,dc=local"

    init(_ server: some RulesTestServer, as bindDN: String = CLI.administrator) {
        url = server.url
        self.bindDN = bindDN
    }

    func callAsFunction(_ arguments: String...) async -> CLIResult {
        await run(arguments)
    }

    func run(_ arguments: [String]) async -> CLIResult {
        var environment = self.environment
        environment["ANNUAIRE_PASSWORD"] = environment["ANNUAIRE_PASSWORD"] ?? password
        let fullArguments = arguments + ["-H", url, "-D", bindDN]
        return await Self.runOnThread(fullArguments, environment: environment)
    }

    static func runOnThread(_ arguments: [String], environment: [String: String]) async -> CLIResult {
        await InProcessCLI.run(arguments, environment: environment)
    }
}

/// Minimal RFC 4180 reader for checking `--format csv` output.
enum CSVReader {
    static func rows(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var characters = Array(text)[...]
        while let character = characters.popFirst() {
            if quoted {
                if character == "\"" {
                    if characters.first == "\"" { field.append("\""); characters = characters.dropFirst() } else { quoted = false }
                } else {
                    field.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                row.append(field); field = ""
            } else if character == "\r\n" || character == "\n" {
                row.append(field); field = ""
                rows.append(row); row = []
            } else {
                field.append(character)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }

    /// Rows as dictionaries keyed by the header line.
    static func records(_ text: String) -> [[String: String]] {
        let all = rows(text)
        guard let header = all.first else { return [] }
        return all.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }
}

/// Parses `--format json` output.
enum JSONReader {
    static func array(_ text: String) throws -> [[String: Any]] {
        guard let value = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]] else {
            throw EmbeddedSlapdTestError("not a JSON array of objects: \(text)")
        }
        return value
    }

    static func object(_ text: String) throws -> [String: Any] {
        guard let value = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw EmbeddedSlapdTestError("not a JSON object: \(text)")
        }
        return value
    }
}

public import ArgumentParser
import Foundation

/// Every option of `annuaire serve` from three places, in this order of
/// precedence: the command line, then the environment (`ANNUAIRE_<KEY>`,
/// the key in capitals with `_` for `-`: `ANNUAIRE_DATA_DIR`), then the
/// configuration file (`--config FILE`; an installed Annuaire reads
/// `/etc/annuaire/annuaire.conf` when it exists), then the defaults.
///
/// The file holds `key = value` lines, the keys being the long option names
/// (`listen = 0.0.0.0:389`, `data-dir = /var/lib/annuaire`, `require-tls =
/// true`), `#` comments and blank lines. A key that is not an option, a flag
/// whose value is not a boolean, or a key given twice stops the start with
/// the file's line named. Secrets never go in the file: the options that
/// need one take a file path (`backend-password-file`, `smtp-password-file`).
///
/// The three sources are turned into one argument list, the file's first and
/// the command line's last, that the argument parser reads as usual (the
/// last value of an option wins): every value goes through the very same
/// parsing and validation as a typed one. `origins` remembers where each
/// option came from, so that a refused value names its line or variable.
///
/// apple/swift-configuration was weighed and not used here: its file
/// providers read JSON or YAML snapshots without line numbers and accept
/// keys nobody reads, where this file must refuse an unknown key and name
/// the line; and `serve`'s values are already parsed and validated by the
/// argument parser, which a second layer of typed readers would duplicate.
public struct ServeSettings: Sendable, Equatable {
    public var arguments: [String]
    /// Option name (without dashes) → `FILE:LINE` or `ANNUAIRE_…`, for the options not given on the command line.
    public var origins: [String: String]
    /// The configuration file read, if any.
    public var file: String?

    /// One option of the command, as the argument parser describes it.
    public struct Option: Sendable, Hashable {
        public var name: String
        public var isFlag: Bool
        public var isRepeating: Bool

        public init(name: String, isFlag: Bool, isRepeating: Bool = false) {
            self.name = name
            self.isFlag = isFlag
            self.isRepeating = isRepeating
        }

        /// `ANNUAIRE_DATA_DIR` for `data-dir`.
        public var environmentName: String { "ANNUAIRE_" + name.uppercased().replacingOccurrences(of: "-", with: "_") }
    }

    /// The options that name the file itself or ask for help: not settable from the file or the environment.
    static let reserved: Set<String> = ["config", "help", "version", "experimental-dump-help", "generate-completion-script"]

    /// The long options of `command`, from the argument parser's own description of it.
    public static func options(of command: any ParsableCommand.Type) -> [Option] {
        struct Dump: Decodable {
            struct Command: Decodable { var arguments: [Argument]? }
            struct Argument: Decodable {
                struct Name: Decodable { var kind: String; var name: String }
                var kind: String
                var names: [Name]?
                var isRepeating: Bool
            }
            var command: Command
        }
        guard let dump = try? JSONDecoder().decode(Dump.self, from: Data(command._dumpHelp().utf8)) else { return [] }
        return (dump.command.arguments ?? []).compactMap { argument in
            guard argument.kind != "positional", let long = argument.names?.first(where: { $0.kind == "long" })?.name,
                  !reserved.contains(long)
            else { return nil }
            return Option(name: long, isFlag: argument.kind == "flag", isRepeating: argument.isRepeating)
        }
    }

    /// A refused configuration: the place (`FILE:LINE` or a variable) and what to fix.
    public struct Problem: Error, CustomStringConvertible, Equatable {
        public var place: String
        public var message: String
        public var description: String { "\(place): \(message)" }
    }

    /// Builds the argument list for `commandLine` (the arguments after `serve`).
    /// `defaultFile` is read when no `--config` is given and it exists.
    public static func resolve(
        commandLine: [String], environment: [String: String], options: [Option], defaultFile: String? = nil
    ) throws -> ServeSettings {
        let byName = Dictionary(options.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let given = Set(commandLine.compactMap { argument -> String? in
            guard argument.hasPrefix("--") else { return nil }
            return String(argument.dropFirst(2).prefix { $0 != "=" })
        })
        var file: String?
        if let index = commandLine.firstIndex(of: "--config") {
            guard index + 1 < commandLine.count else { throw Problem(place: "--config", message: "needs a file path") }
            file = commandLine[index + 1]
        } else if let inline = commandLine.first(where: { $0.hasPrefix("--config=") }) {
            file = String(inline.dropFirst("--config=".count))
        } else if let defaultFile, FileManager.default.fileExists(atPath: defaultFile) {
            file = defaultFile
        }

        var arguments: [String] = []
        var origins: [String: String] = [:]
        if let file {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw Problem(place: file, message: "cannot read the configuration file (\(error.localizedDescription))")
            }
            var seen: [String: Int] = [:]
            for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let number = index + 1
                let place = "\(file):\(number)"
                let line = rawLine.trimmingCharacters(in: .whitespaces)
                if line.isEmpty || line.hasPrefix("#") { continue }
                guard let equals = line.firstIndex(of: "=") else {
                    throw Problem(place: place, message: "'\(line)' is not 'key = value'")
                }
                let key = line[..<equals].trimmingCharacters(in: .whitespaces)
                var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
                if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
                guard let option = byName[key] else {
                    let hint = Self.closest(to: key, in: options.map(\.name)).map { " (did you mean '\($0)'?)" } ?? ""
                    throw Problem(place: place, message: "unknown key '\(key)'\(hint); the keys are the options of annuaire serve --help, without the dashes")
                }
                if let first = seen[key], !option.isRepeating {
                    throw Problem(place: place, message: "'\(key)' is already set on line \(first)")
                }
                seen[key] = seen[key] ?? number
                guard !given.contains(key) else { continue }  // the command line wins
                if option.isFlag {
                    guard let on = Self.boolean(value) else {
                        throw Problem(place: place, message: "'\(key)' is a switch: write true or false, not '\(value)'")
                    }
                    if on { arguments.append("--\(key)") }
                } else {
                    guard !value.isEmpty else { throw Problem(place: place, message: "'\(key)' has no value") }
                    arguments += ["--\(key)", value]
                }
                origins[key] = place
            }
        }
        for option in options where !given.contains(option.name) {
            guard let value = environment[option.environmentName] else { continue }
            let place = option.environmentName
            if option.isFlag {
                guard let on = Self.boolean(value) else {
                    throw Problem(place: place, message: "is a switch: set it to true or false, not '\(value)'")
                }
                // The environment overrides the file in both directions.
                if let index = arguments.firstIndex(of: "--\(option.name)"), !on { arguments.remove(at: index) }
                if on && !arguments.contains("--\(option.name)") { arguments.append("--\(option.name)") }
            } else {
                arguments += ["--\(option.name)", value]
            }
            origins[option.name] = place
        }
        return ServeSettings(arguments: arguments + commandLine, origins: origins, file: file)
    }

    /// `Problem`'s place for an error message that names options from the file or the environment.
    public func origin(of message: String) -> String? {
        let places = origins.filter { message.contains("--\($0.key)") }.map(\.value)
        return places.isEmpty ? nil : places.sorted().joined(separator: ", ")
    }

    static func boolean(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "yes", "on", "1": true
        case "false", "no", "off", "0": false
        default: nil
        }
    }

    /// The option whose name is nearest `key` (at most 2 edits), for a typo's hint.
    static func closest(to key: String, in names: [String]) -> String? {
        func distance(_ a: [Character], _ b: [Character]) -> Int {
            var row = Array(0...b.count)
            for (i, x) in a.enumerated() {
                var previous = row[0]
                row[0] = i + 1
                for (j, y) in b.enumerated() {
                    let current = row[j + 1]
                    row[j + 1] = min(row[j + 1] + 1, row[j] + 1, previous + (x == y ? 0 : 1))
                    previous = current
                }
            }
            return row[b.count]
        }
        let scored = names.map { ($0, distance(Array(key), Array($0))) }.filter { $0.1 <= 2 }
        return scored.min { $0.1 < $1.1 }?.0
    }
}

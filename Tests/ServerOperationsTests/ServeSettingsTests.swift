import ArgumentParser
import Foundation
import ServerOperations
import Testing

/// The configuration file and the environment of `annuaire serve`, on a
/// command shaped like it (options, a flag, a repeating option).
@Suite("serve settings: file, environment, command line")
struct ServeSettingsTests {
    struct Sample: ParsableCommand {
        @Option var config: String?
        @Option var listen = "127.0.0.1:3389"
        @Option var dataDir = "./annuaire-data"
        @Option var maxConnections = 4096
        @Flag var requireTls = false
        @Option var include: [String] = []
    }

    static let options = ServeSettings.options(of: Sample.self)

    static func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("annuaire-\(UUID().uuidString).conf").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("the options come from the argument parser's description: long names, flags, repeating; --config and --help are not keys")
    func optionsOfCommand() {
        let names = Set(Self.options.map(\.name))
        #expect(names == ["listen", "data-dir", "max-connections", "require-tls", "include"])
        #expect(Self.options.first { $0.name == "require-tls" }?.isFlag == true)
        #expect(Self.options.first { $0.name == "include" }?.isRepeating == true)
        #expect(Self.options.first { $0.name == "data-dir" }?.environmentName == "ANNUAIRE_DATA_DIR")
    }

    @Test("precedence: the command line over the environment over the file over the defaults")
    func precedence() throws {
        let path = try Self.file("""
            # the server
            listen = 0.0.0.0:389
            data-dir = "/var/lib/annuaire"
            max-connections = 100
            require-tls = true
            include = a
            include = b

            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let settings = try ServeSettings.resolve(
            commandLine: ["--config", path, "--listen", "127.0.0.1:1389"],
            environment: ["ANNUAIRE_MAX_CONNECTIONS": "50", "ANNUAIRE_REQUIRE_TLS": "false", "ANNUAIRE_UNRELATED": "x"],
            options: Self.options)
        let command = try Sample.parse(settings.arguments)
        #expect(command.listen == "127.0.0.1:1389")
        #expect(command.dataDir == "/var/lib/annuaire")
        #expect(command.maxConnections == 50)
        #expect(command.requireTls == false, "the environment turns the file's switch off")
        #expect(command.include == ["a", "b"])
        #expect(settings.origins["data-dir"] == "\(path):3")
        #expect(settings.origins["max-connections"] == "ANNUAIRE_MAX_CONNECTIONS")
        #expect(settings.origins["listen"] == nil, "given on the command line")
        // No file and no environment: the defaults.
        let defaults = try Sample.parse(try ServeSettings.resolve(commandLine: [], environment: [:], options: Self.options).arguments)
        #expect(defaults.listen == "127.0.0.1:3389" && defaults.maxConnections == 4096 && !defaults.requireTls)
    }

    @Test("a wrong key, a switch that is not a boolean, a key given twice, a line without '=': refused with the line named")
    func refusals() throws {
        for (text, line, words) in [
            ("listen = 127.0.0.1:389\nlisen = 0.0.0.0:389\n", 2, "unknown key 'lisen' (did you mean 'listen'?)"),
            ("require-tls = maybe\n", 1, "'require-tls' is a switch: write true or false, not 'maybe'"),
            ("# c\nlisten = a:1\n\nlisten = b:2\n", 4, "'listen' is already set on line 2"),
            ("data-dir /var/lib/annuaire\n", 1, "is not 'key = value'"),
            ("max-connections =\n", 1, "'max-connections' has no value"),
            ("config = /etc/other.conf\n", 1, "unknown key 'config'"),
        ] {
            let path = try Self.file(text)
            defer { try? FileManager.default.removeItem(atPath: path) }
            #expect {
                try ServeSettings.resolve(commandLine: ["--config=\(path)"], environment: [:], options: Self.options)
            } throws: { error in
                let problem = error as? ServeSettings.Problem
                return problem?.place == "\(path):\(line)" && problem?.message.contains(words) == true
            }
        }
        #expect(throws: ServeSettings.Problem.self) {
            try ServeSettings.resolve(commandLine: [], environment: ["ANNUAIRE_REQUIRE_TLS": "sometimes"], options: Self.options)
        }
        #expect(throws: ServeSettings.Problem.self) {
            try ServeSettings.resolve(commandLine: ["--config", "/nonexistent/annuaire.conf"], environment: [:], options: Self.options)
        }
    }

    @Test("a value the parser refuses is traced back to its line or variable")
    func valueOrigin() throws {
        let path = try Self.file("listen = 127.0.0.1:389\nmax-connections = many\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let settings = try ServeSettings.resolve(commandLine: ["--config", path], environment: [:], options: Self.options)
        do {
            _ = try Sample.parse(settings.arguments)
            Issue.record("max-connections = many was accepted")
        } catch {
            #expect(settings.origin(of: Sample.message(for: error)) == "\(path):2")
        }
    }

    @Test("the default file is read only when it exists")
    func defaultFile() throws {
        let path = try Self.file("listen = 0.0.0.0:389\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try ServeSettings.resolve(commandLine: [], environment: [:], options: Self.options, defaultFile: path).file == path)
        #expect(try ServeSettings.resolve(commandLine: [], environment: [:], options: Self.options, defaultFile: path + ".missing").file == nil)
    }
}

import AnnuaireTestSupport
import Foundation
import Testing

/// The built `annuaire` binary, driven as a user would from a shell.
@Suite("CLI: the annuaire executable")
struct SubprocessTests {
    /// The `annuaire` executable built next to the test bundle, if any.
    static var executable: String? {
        var folder = URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = folder.appendingPathComponent("annuaire").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }

    @Test("annuaire user list --group T1 --format csv as a subprocess; a rule violation exits 65 with the rule on stderr", .enabled(if: SubprocessTests.executable != nil))
    func subprocess() async throws {
        let executable = try #require(Self.executable)
        try await TestServer.with { (server: TestServer) async throws in
            let environment = ["LDAPURI": server.url, "LDAPBINDDN": CLI.administrator, "ANNUAIRE_PASSWORD": DemoPassword.value]
            let list = try await CommandLineTool.run(executable, ["user", "list", "--group", "T1", "--format", "csv"], environment: environment)
            #expect(list.status == 0, "\(list.error)")
            #expect(CSVReader.records(list.output).count == 5)
            let bad = try await CommandLineTool.run(executable, [
                "user", "create", "--last-name", "X", "--first-name", "Y", "--mail", "y.x@partenaire.fr",
                "--mail-confirmation", "y.z@partenaire.fr", "--group", "T1", "--work-mode", "sedentary",
            ], environment: environment)
            #expect(bad.status == 65)
            #expect(bad.error.contains("R4: the two e-mail addresses differ"))
            let help = try await CommandLineTool.run(executable, ["user", "create", "--help"])
            #expect(help.output.contains("65 rule violation"))
        }
    }

    @Test("annuaire serve with a mail template folder that lacks {password} exits 1 with the file named, before starting slapd", .enabled(if: SubprocessTests.executable != nil))
    func startupFailureExitStatus() async throws {
        let executable = try #require(Self.executable)
        let folder = try TestDirectory.makeTemporaryFolder("tpl")
        let data = try TestDirectory.makeTemporaryFolder()
        defer {
            try? FileManager.default.removeItem(atPath: folder)
            try? FileManager.default.removeItem(atPath: data)
        }
        try "Bonjour {identifier}".write(toFile: folder + "/temporary-password.txt", atomically: true, encoding: .utf8)
        let serve = try await CommandLineTool.run(executable, [
            "serve", "--data-dir", data + "/data", "--listen", "127.0.0.1:0", "--ldaps", "none", "--mail-templates", folder,
        ])
        #expect(serve.status == 1)
        #expect(serve.error.contains("temporary-password.txt must contain {password}"), "\(serve.error)")
        #expect(!FileManager.default.fileExists(atPath: data + "/data/config"))
    }
}

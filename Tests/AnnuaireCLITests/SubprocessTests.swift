import AnnuaireTestSupport
import DirectoryBackend
import Foundation
import Testing

/// The built `annuaire` binary, driven as a user would from a shell.
@Suite("CLI: the annuaire executable")
struct SubprocessTests {
    /// The executable, or a failure saying how to build it (these tests fail rather than skip).
    static func requireExecutable() throws -> String {
        try #require(executable, "the annuaire executable is not next to the test bundle: build it with `swift build --build-tests` (make test does) before `swift test --skip-build`")
    }

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

    @Test("annuaire user list --group T1 --format csv as a subprocess; a rule violation exits 65 with the rule on stderr")
    func subprocess() async throws {
        let executable = try Self.requireExecutable()
        try await TestServer.with { (server: TestServer) async throws in
            let folder = try TestDirectory.makeTemporaryFolder("cli-subprocess")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let environment = [
                "LDAPURI": server.url, "LDAPBINDDN": CLI.administrator, "ANNUAIRE_PASSWORD": DemoPassword.value, "XDG_CONFIG_HOME": folder,
            ]
            let list = try await CommandLineTool.run(executable, ["user", "list", "--group", "T1", "--format", "csv", "--csv-style", "rfc4180"], environment: environment)
            #expect(list.status == 0, "\(list.error)")
            #expect(CSVReader.records(list.output).count == 5)
            let bad = try await CommandLineTool.run(executable, [
                "user", "create", "--last-name", "X", "--first-name", "Y", "--mail", "y.x@partenaire.fr",
                "--mail-confirmation", "y.z@partenaire.fr", "--group", "T1", "--work-mode", "sedentary",
            ], environment: environment)
            #expect(bad.status == 65)
            #expect(bad.error.contains("R4 : les deux adresses mail diffèrent"), "\(bad.error)")
            // French by default, English with an English locale (issue #16, item 5).
            let help = try await CommandLineTool.run(executable, ["user", "create", "--help"], environment: ["LANG": "fr_FR.UTF-8", "LC_ALL": "", "ANNUAIRE_LANG": ""])
            #expect(help.output.contains("65 règle non respectée"), "\(help.output)")
            let english = try await CommandLineTool.run(executable, ["--help"], environment: ["LANG": "en_US.UTF-8", "LC_ALL": "", "ANNUAIRE_LANG": ""])
            #expect(english.output.contains("LDAP directory server"), "\(english.output)")
        }
    }

    @Test("annuaire serve with a mail template folder that lacks {password} exits 1 with the file named, before starting slapd")
    func startupFailureExitStatus() async throws {
        let executable = try Self.requireExecutable()
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

    @Test("annuaire serve --backend on a slapd whose schema predates this version (no annRevision) exits 1 naming what to load")
    func outdatedBackendSchema() async throws {
        let executable = try Self.requireExecutable()
        // A project tree whose schema lacks annRevision, as a backend configured by an earlier version has.
        let old = try EditedResources()
        let state = try TestDirectory.makeTemporaryFolder()
        defer {
            old.remove()
            try? FileManager.default.removeItem(atPath: state)
        }
        try old.edit(old.resources.projectSchema) { schema in
            var text = schema
            let start = try #require(text.range(of: "olcAttributeTypes: ( 2.25.309896955993207786281445528786519232768.1.25"))
            let end = try #require(text.range(of: "olcAttributeTypes:", range: start.upperBound..<text.endIndex))
            text.removeSubrange(start.lowerBound..<end.lowerBound)
            return text.replacingOccurrences(of: " $ annRevision", with: "")
        }
        let directory = try await TestDirectory.start(demo: false, resources: old.resources)
        let serve = try await CommandLineTool.run(executable, [
            "serve", "--backend", directory.slapd.endpoint.uri, "--data-dir", state + "/state", "--listen", "127.0.0.1:0", "--ldaps", "none",
        ])
        await directory.stop()
        #expect(serve.status == 1)
        #expect(serve.error.contains("the backend's schema lacks annRevision: load this version's Schema/annuaire.ldif"), "\(serve.error)")
    }

    @Test("end to end as a subprocess, settings from the config file: rules without a bind, a CSV import dry run then the import, the new user in user list --group T1, history, completions")
    func importEndToEnd() async throws {
        let executable = try Self.requireExecutable()
        try await TestServer.with { (server: TestServer) async throws in
            let folder = try TestDirectory.makeTemporaryFolder("cli-subprocess")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            try "# annuaire client settings\nURI \(server.url)\nBINDDN XXX0606XX01\nBASE dc=annuaire,dc=local\n"
                .write(toFile: folder + "/config", atomically: true, encoding: .utf8)
            try DemoPassword.value.write(toFile: folder + "/password", atomically: true, encoding: .utf8)
            let environment = ["ANNUAIRE_CONFIG": folder + "/config", "XDG_CONFIG_HOME": folder]

            let rules = try await CommandLineTool.run(executable, ["rules"], environment: environment)
            #expect(rules.status == 0, "\(rules.error)")
            #expect(rules.output.contains("loi Godfrain"))

            try "lastName,firstName,mail,telephone,workMode,group\nLAGARE,Xavier,x.lagare2@partenaires.fr,07 00 02 00 00,sedentary,T1\nDUPRÉ,Anne,contact@partenaire.fr,,sedentary,T1\n"
                .write(toFile: folder + "/users.csv", atomically: true, encoding: .utf8)
            let dryRun = try await CommandLineTool.run(
                executable, ["user", "import", folder + "/users.csv", "--dry-run", "--password-file", folder + "/password"], environment: environment)
            #expect(dryRun.status == 65)
            #expect(dryRun.output.contains("mail"), "\(dryRun.output)")
            #expect(dryRun.error.contains("1 ligne sur 2 enfreint une règle (ligne 3)"), "\(dryRun.error)")
            #expect(dryRun.error.contains("loi Godfrain"), "the first login shows the usage rules")

            try "lastName,firstName,mail,telephone,workMode,group\nLAGARE,Xavier,x.lagare2@partenaires.fr,07 00 02 00 00,sedentary,T1\n"
                .write(toFile: folder + "/users.csv", atomically: true, encoding: .utf8)
            let imported = try await CommandLineTool.run(
                executable, ["user", "import", folder + "/users.csv", "--password-file", folder + "/password"], environment: environment)
            #expect(imported.status == 0, "\(imported.error)")
            #expect(imported.output.contains("XXX0606XX12"))
            #expect(!imported.error.contains("Godfrain"), "shown once only")
            #expect(!imported.error.contains("\r"), "no progress display when stderr is not a terminal")
            let list = try await CommandLineTool.run(
                executable, ["user", "list", "--group", "T1", "--password-file", folder + "/password"], environment: environment)
            #expect(list.output.contains("XXX0606XX12"))
            #expect(list.output.contains("LAGARE"))
            let history = try await CommandLineTool.run(
                executable, ["history", "--action", "create-user", "--format", "csv", "--csv-style", "rfc4180", "--password-file", folder + "/password"], environment: environment)
            #expect(CSVReader.records(history.output).map { $0["target"] } == ["uid=XXX0606XX12,ou=people,dc=annuaire,dc=local"])

            let completion = try await CommandLineTool.run(executable, ["--generate-completion-script", "bash"])
            #expect(completion.status == 0)
            #expect(completion.output.contains("import"))
        }
    }
}

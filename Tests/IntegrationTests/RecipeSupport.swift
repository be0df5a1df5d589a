import AnnuaireCLI
import AnnuaireTestSupport
import ArgumentParser
import Foundation
import DirectoryServer
import Habilitations
import Testing

/// What every integration recipe needs: the programs in Tests/Interop/,
/// checks that a product is installed (a failing `#require` naming the
/// install command, never a silent skip), JSON reports, and application
/// accounts created the way an operator does it, with `annuaire application create`.
enum Recipe {
    static let password = DemoDirectory.password
    static let t1Group = "cn=T1,cn=CONV-0606-001,cn=PART0606,ou=partners,dc=annuaire,dc=local"
    /// The open members of group T1 in the demo: the users habilitated for CDAP.
    static let habilitatedForCDAP = ["XXX0606XX06", "XXX0606XX07", "XXX0606XX08", "XXX0606XX10", "XXX0606XX11"]

    /// A server over the demo as `annuaire serve` runs it: the reconciler's first
    /// pass has materialised what the fixture leaves to it (`annHabilitation`).
    static func withServer<T>(
        clock: any HabilitationClock = SystemClock(), configure: (inout ServerConfiguration) -> Void = { _ in },
        _ body: (TestServer) async throws -> T
    ) async throws -> T {
        try await TestServer.with(clock: clock, configure: configure) { server in
            var next: String?
            repeat { next = try await server.habilitations.reconcile(after: next).next } while next != nil
            return try await body(server)
        }
    }

    /// Tests/Interop/, found from this file's path.
    static let interop = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Interop")

    static func program(_ folder: String, _ name: String) -> String {
        interop.appendingPathComponent(folder).appendingPathComponent(name).path
    }

    /// A file a Debian package installs.
    static func requireFile(_ path: String, package: String) throws {
        try #require(
            FileManager.default.fileExists(atPath: path),
            "\(path) is missing: run `make test-deps` (apt-get install --no-install-recommends \(package))")
    }

    /// A private temporary folder (0700), removed by the caller.
    static func temporaryFolder(_ label: String) throws -> String {
        try TestDirectory.makeTemporaryFolder("annint-\(label)")
    }

    /// Writes `text` to `folder/name` with mode 0600 (test secrets only).
    @discardableResult
    static func writeSecret(_ text: String, folder: String, name: String) throws -> String {
        let path = (folder as NSString).appendingPathComponent(name)
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw EmbeddedSlapdTestError("cannot write \(path)")
        }
        return path
    }

    /// A random application password (the operator would use `openssl rand`).
    static func randomSecret() -> String {
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return "App-" + String((0..<24).map { _ in alphabet.randomElement(using: &generator) ?? "x" })
    }
}

/// An application account created by the operator with the CLI (item 2 of issue #7).
struct ApplicationAccount: Sendable {
    var name: String
    var dn: String
    var password: String

    /// `annuaire application create --name NAME --service SERVICE --account-password-file F`, as the operator.
    static func create(_ server: TestServer, name: String, service: String = "CDAP") async throws -> ApplicationAccount {
        let folder = try Recipe.temporaryFolder("app")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let password = Recipe.randomSecret()
        let file = try Recipe.writeSecret(password + "\n", folder: folder, name: "\(name).secret")
        let result = await AnnuaireCommand.run(
            ["application", "create", "--name", name, "--service", service, "--account-password-file", file,
             "-H", server.url, "-D", server.directory.layout.operatorAccount(DemoDirectory.operatorName)],
            environment: ["ANNUAIRE_PASSWORD": DemoDirectory.password])
        try #require(result.status == 0, "annuaire application create \(name) failed (\(result.status)): \(result.error)")
        return ApplicationAccount(name: name, dn: server.directory.layout.operatorAccount(name), password: password)
    }
}

/// Runs an `annuaire` command in-process (see `InProcessCLI`).
typealias AnnuaireCommand = InProcessCLI

/// R6 temporary passwords, as the recipes meet them.
enum TemporaryPasswords {
    /// An operator's reset (Password Modify without a new password): a temporary password is mailed.
    static func reset(_ server: TestServer, _ dn: String) async throws {
        let layout = server.directory.layout
        let result = try await CommandLineTool.run("ldappasswd", [
            "-x", "-H", server.url, "-D", layout.operatorAccount(DemoDirectory.operatorName), "-w", DemoDirectory.password, dn,
        ])
        try #require(result.status == 0, "ldappasswd (operator reset of \(dn)): \(result.error)")
    }

    /// The temporary password in the last mail to `address`.
    static func mailed(in server: TestServer, to address: String) throws -> String {
        try server.mailedTemporaryPassword(to: address)
    }
}

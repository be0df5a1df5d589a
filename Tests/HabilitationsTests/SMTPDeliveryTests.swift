import AnnuaireTestSupport
import Foundation
import Habilitations
import LDAPProtocol
import Testing

/// R6 mail delivery over SMTP submission (RFC 6409) to a real SMTP server
/// (aiosmtpd, started on loopback with STARTTLS required and AUTH): the
/// transport negotiates TLS and authenticates, and the outbox keeps what
/// could not be sent until the server is back.
@Suite("SMTP submission and the mail outbox (R6, R9)")
struct SMTPDeliveryTests {
    static let login = "annuaire-mailer"
    static let smtpPassword = "Smtp-Test-Secret-42"

    /// The aiosmtpd program of Tests/Interop/python.
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Interop/python/smtp_server.py").path

    /// A folder with the SMTP server's certificate and key, its password file and its inbox.
    struct Setup {
        let folder: URL
        var certificate: String { folder.appendingPathComponent("cert.pem").path }
        var key: String { folder.appendingPathComponent("key.pem").path }
        var passwordFile: String { folder.appendingPathComponent("smtp-password").path }
        var inbox: URL { folder.appendingPathComponent("inbox") }

        static func make() async throws -> Setup {
            let check = try await CommandLineTool.run("python3", ["-c", "import aiosmtpd"])
            try #require(check.status == 0, "python3 cannot import aiosmtpd: run `make test`, whose deps step installs it (python3 -m pip install aiosmtpd). \(check.error)")
            let setup = Setup(folder: URL(fileURLWithPath: try TestDirectory.makeTemporaryFolder("smtp")))
            try FileManager.default.createDirectory(at: setup.inbox, withIntermediateDirectories: true)
            let openssl = try await CommandLineTool.run("openssl", [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                "-keyout", setup.key, "-out", setup.certificate, "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            ])
            try #require(openssl.status == 0, "openssl could not make the SMTP server's certificate: \(openssl.error)")
            _ = FileManager.default.createFile(atPath: setup.passwordFile, contents: Data(smtpPassword.utf8), attributes: [.posixPermissions: 0o600])
            return setup
        }

        func startServer(port: Int) async throws -> BackgroundProcess {
            let (process, _) = try await BackgroundProcess.start(
                "python3", [script, String(port), inbox.path, certificate, key, login, passwordFile], readyPrefix: "READY")
            return process
        }

        func transport(port: Int, password: String = smtpPassword) -> SMTPTransport {
            SMTPTransport(configuration: .init(
                url: "smtp://127.0.0.1:\(port)", from: "Annuaire <no-reply@annuaire.local>", username: login, password: password,
                requireTLS: true, caFile: certificate, timeoutSeconds: 10))
        }

        /// What the SMTP server accepted, oldest first.
        func received() throws -> [Received] {
            let names = try FileManager.default.contentsOfDirectory(atPath: inbox.path).filter { $0.hasSuffix(".json") }
            return try names.sorted { (Int($0.dropLast(5)) ?? 0) < (Int($1.dropLast(5)) ?? 0) }.map { name in
                try JSONDecoder().decode(Received.self, from: Data(contentsOf: inbox.appendingPathComponent(name)))
            }
        }

        func remove() { try? FileManager.default.removeItem(at: folder) }
    }

    /// One message as the SMTP server saw it.
    struct Received: Decodable {
        var mail_from: String
        var rcpt_tos: [String]
        var tls: Bool
        var login: String?
        var data: String

        /// The temporary password of R6's mail, read as the person would.
        var temporaryPassword: String? {
            data.components(separatedBy: "\r\n").first { $0.contains("mot de passe temporaire pour") }?
                .split(separator: " ").last.map(String.init)
        }
    }

    /// As the demo administrator, asks for LAGARE Xavier in group T1 (the tutorial's example).
    static func createLagare(_ server: TestServer) async throws -> LDAPResult {
        let layout = server.directory.layout
        let convention = "cn=CONV-0606-001,cn=PART0606,\(layout.partners)"
        let client = try RawLDAPClient(port: server.port)
        try await client.send(LDAPMessage(messageID: 1, operation: .bindRequest(BindRequest(
            name: layout.user(DemoDirectory.administratorIdentifier), authentication: .simple(password: Array(DemoDirectory.password.utf8))))))
        _ = try await client.receive()
        let request = CreateUserRequest(
            convention: convention, group: "cn=T1,\(convention)", sn: "LAGARE", givenName: "Xavier", mail: "x.lagare@partenaires.fr",
            mailConfirmation: "x.lagare@partenaires.fr", workMode: "itinerant")
        try await client.send(LDAPMessage(messageID: 2, operation: .extendedRequest(ExtendedRequest(name: CreateUserRequest.oid, value: request.encoded()))))
        guard case .extendedResponse(let response) = try #require(try await client.receive()).operation else {
            throw BackgroundProcessError("expected an extended response")
        }
        return response.result
    }

    @Test("R6 over SMTP: STARTTLS and AUTH are used, the French mails reach the person, the temporary password binds; a wrong SMTP password fails without being shown")
    func deliversOverSubmission() async throws {
        let setup = try await Setup.make()
        defer { setup.remove() }
        let port = try FreePort.pick()
        let smtp = try await setup.startServer(port: port)
        do {
            try await TestServer.with(mail: setup.transport(port: port)) { server in
                let result = try await Self.createLagare(server)
                #expect(result.code == .success, "\(result.diagnosticMessage)")
                let received = try setup.received()
                #expect(received.count == 2)
                for message in received {
                    #expect(message.tls, "the mail went in clear")
                    #expect(message.login == Self.login)
                    #expect(message.rcpt_tos == ["x.lagare@partenaires.fr"])
                    #expect(message.mail_from == "no-reply@annuaire.local")
                    #expect(message.data.contains("Content-Type: text/plain; charset=utf-8"))
                }
                #expect(received.contains { $0.data.contains("Votre identifiant de connexion est : XXX0606XX12") })
                let temporary = try #require(received.compactMap(\.temporaryPassword).first)
                #expect(received.contains { $0.data.contains("doit être modifié dans les 24 heures") })
                let who = try await CommandLineTool.run("ldapwhoami", [
                    "-x", "-H", server.url, "-D", server.directory.layout.user("XXX0606XX12"), "-w", temporary,
                ])
                #expect(who.status == 0, "\(who.error)")
                #expect(who.output.lowercased().contains("uid=xxx0606xx12,"), "\(who.output)")
            }
            // AUTH refused: the error says so and does not carry the password given.
            let wrong = setup.transport(port: port, password: "Not-The-Password-77")
            let message = MailMessage(to: "someone@example.org", subject: "test", body: "body", date: Date())
            do {
                try await wrong.send(message)
                Issue.record("a wrong SMTP password was accepted")
            } catch {
                // Refused for the password (SMTP 535, libcurl's CURLE_LOGIN_DENIED), not for any other reason.
                let text = String(describing: error)
                #expect(text.contains("SMTP delivery"), "\(text)")
                #expect(text.contains("Login denied"), "the wrong password should be refused as such: \(text)")
                #expect(!text.contains("Not-The-Password-77"))
            }
            #expect(try setup.received().count == 2)
        } catch {
            await smtp.stop()
            throw error
        }
        await smtp.stop()
    }

    @Test("R6: with the SMTP server stopped, creating a user still succeeds; the mails wait in the outbox (no password in it) and go once the server is back")
    func outboxWaitsForTheServer() async throws {
        let setup = try await Setup.make()
        defer { setup.remove() }
        let port = try FreePort.pick()  // nothing listens there yet
        let clock = ManualClock(Date())
        try await TestServer.with(clock: clock, mail: setup.transport(port: port)) { server in
            let result = try await Self.createLagare(server)
            #expect(result.code == .success, "\(result.diagnosticMessage)")
            let outbox = server.mailOutbox
            let pending = try FileManager.default.contentsOfDirectory(atPath: outbox.path).filter { $0.hasSuffix(".json") }
            #expect(pending.count == 2, "\(pending)")
            for name in pending {
                let text = try String(contentsOf: outbox.appendingPathComponent(name), encoding: .utf8)
                #expect(text.contains("XXX0606XX12"))
                #expect(!text.contains("mot de passe"))
                let attributes = try FileManager.default.attributesOfItem(atPath: outbox.appendingPathComponent(name).path)
                #expect((attributes[.posixPermissions] as? Int) == 0o600)
            }
            // Not due yet: nothing is tried before the first delay.
            #expect(await server.habilitations.passwords.drainOutbox() == 0)

            let smtp = try await setup.startServer(port: port)
            do {
                clock.advance(by: 29)
                #expect(await server.habilitations.passwords.drainOutbox() == 0)
                #expect(try setup.received().isEmpty)
                clock.advance(by: 2)
                #expect(await server.habilitations.passwords.drainOutbox() == 2)
                let received = try setup.received()
                #expect(received.count == 2)
                #expect(received.allSatisfy { $0.tls && $0.rcpt_tos == ["x.lagare@partenaires.fr"] })
                let remaining = try FileManager.default.contentsOfDirectory(atPath: outbox.path).filter { $0.hasSuffix(".json") }
                #expect(remaining.isEmpty)
                let temporary = try #require(received.compactMap(\.temporaryPassword).first)
                let who = try await CommandLineTool.run("ldapwhoami", [
                    "-x", "-H", server.url, "-D", server.directory.layout.user("XXX0606XX12"), "-w", temporary,
                ])
                #expect(who.status == 0, "\(who.error)")
                // Delivered once: another drain sends nothing more.
                clock.advance(by: 3600)
                #expect(await server.habilitations.passwords.drainOutbox() == 0)
                #expect(try setup.received().count == 2)
            } catch {
                await smtp.stop()
                throw error
            }
            await smtp.stop()
        }
    }
}

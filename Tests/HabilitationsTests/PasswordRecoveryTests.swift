import AnnuaireTestSupport
import DirectoryBackend
import Foundation
import Habilitations
import LDAPProtocol
import Testing

/// Issue #14, finding 4: "forgot password" by a single-use link (R6). The
/// request answers success at once and changes nothing but mails a link; the
/// current password stays good until the link is used; identifiers are
/// normalised (NFKC, case folded) before the rate limits; the token is
/// stored only as a hash; it is consumed by the completion, which applies the
/// quality rules; unknown, used, expired tokens and tokens of closed people
/// get one answer (49).
@Suite("Password recovery by link (R6, issue #14 finding 4)")
struct PasswordRecoveryTests {
    static let chosen = "Retrouve-Mot-2026!"

    static func forgot(_ client: RawLDAPClient, _ identifier: String, id: Int) async throws -> LDAPResult {
        let request = ExtendedRequest(name: ForgotPassword.oid, value: ForgotPasswordRequest(identifier: identifier).encoded())
        try await client.send(LDAPMessage(messageID: id, operation: .extendedRequest(request)))
        guard case .extendedResponse(let response) = try #require(try await client.receive()).operation else {
            throw EmbeddedSlapdTestError("expected an extended response")
        }
        #expect(response.value == nil)
        return response.result
    }

    static func complete(_ client: RawLDAPClient, token: String, password: String, id: Int) async throws -> LDAPResult {
        let value = PasswordRecoveryRequest(token: Array(token.utf8), newPassword: Array(password.utf8)).encoded()
        try await client.send(LDAPMessage(messageID: id, operation: .extendedRequest(ExtendedRequest(name: ForgotPassword.completionOID, value: value))))
        guard case .extendedResponse(let response) = try #require(try await client.receive()).operation else {
            throw EmbeddedSlapdTestError("expected an extended response")
        }
        return response.result
    }

    static func bindStatus(_ server: TestServer, _ dn: String, _ password: String) async throws -> Int32 {
        try await CommandLineTool.run("ldapwhoami", ["-x", "-H", server.url, "-D", dn, "-w", password]).status
    }

    /// The history events (R11) recorded about `target` with `action`.
    static func events(_ server: TestServer, action: String, target: String) async throws -> [SearchResultEntry] {
        try await server.directory.store.searchAll(SearchQuery(
            base: server.directory.layout.history, scope: .singleLevel,
            filter: "(&(annAction=\(action))(annTarget=\(target)))", attributes: ["*"]))
    }

    @Test("the request keeps the current password and mails a single-use link; the directory holds only its hash; the link sets the chosen password once; both steps are in the history; no token in the logs")
    func linkFlow() async throws {
        let capture = LogCapture()
        try await TestServer.with(logger: capture.logger()) { server in
            let layout = server.directory.layout
            let dn = layout.user("XXX0606XX06")
            let client = try RawLDAPClient(port: server.port)
            #expect(try await Self.forgot(client, "XXX0606XX06", id: 1) == .success)
            #expect(await server.recoveryWorkDone())
            // Before the fix, the request replaced the password at once: anyone could lock anyone out.
            #expect(try await Self.bindStatus(server, dn, DemoDirectory.password) == 0)
            let (link, token) = try server.mailedRecoveryLink(to: "m.dupuis@partenaire.fr")
            #expect(link == "https://localhost:8443/mot-de-passe/nouveau#\(token)")
            #expect(token.count == 43)  // 256 bits, base64url
            let mail = try #require(try server.maildir.delivered().last)
            #expect(mail.contains("saisissez ce code sur la page « Mot de passe oublié » : \(token)"))
            // Only the hash is stored, on the person.
            let stored = try #require(try await server.directory.store.read(dn, attributes: [RecoveryToken.hashAttribute, RecoveryToken.expiryAttribute]))
            let hash = stored.values(of: RecoveryToken.hashAttribute).first.map { String(decoding: $0, as: UTF8.self) }
            let digest = try await CommandLineTool.run("sha256sum", [], input: token)
            #expect(hash == digest.output.split(separator: " ").first.map(String.init))
            #expect(hash != token)
            #expect(!stored.values(of: RecoveryToken.expiryAttribute).isEmpty)
            // No client reads or searches it, not even the operator.
            let search = try await CommandLineTool.run("ldapsearch", [
                "-x", "-LLL", "-H", server.url, "-D", layout.operatorAccount(DemoDirectory.operatorName), "-w", DemoDirectory.password,
                "-b", dn, "-s", "base", "(annRecoveryTokenHash=*)", "annRecoveryTokenHash", "annRecoveryExpiry",
            ])
            #expect(!search.output.contains("annRecovery"), "\(search.output)")

            let anonymous = try RawLDAPClient(port: server.port)
            #expect(try await Self.complete(anonymous, token: " \(token)\n", password: Self.chosen, id: 1) == .success)
            #expect(try await Self.bindStatus(server, dn, Self.chosen) == 0)
            #expect(try await Self.bindStatus(server, dn, DemoDirectory.password) == 49)
            // Single use: the second time, the one answer of a token that opens nothing.
            let again = try await Self.complete(anonymous, token: token, password: "Encore-Autre-2026!", id: 2)
            #expect(again.code == .invalidCredentials)
            #expect(again.diagnosticMessage == ForgotPassword.invalidTokenMessage)
            #expect(try await Self.bindStatus(server, dn, Self.chosen) == 0)
            let unknown = try await Self.complete(anonymous, token: RecoveryToken.generate().text, password: "Encore-Autre-2026!", id: 3)
            #expect(unknown == again)
            let malformed = try await Self.complete(anonymous, token: "*", password: "Encore-Autre-2026!", id: 4)
            #expect(malformed == again)
            // R11: the request and the completion, about the person, without the token.
            let requested = try await Self.events(server, action: ForgotPassword.requestedAction, target: dn)
            let completed = try await Self.events(server, action: ForgotPassword.completedAction, target: dn)
            #expect(requested.count == 1)
            #expect(completed.count == 1)
            for record in capture.records {
                #expect(!record.text.contains(token), "the token appears in the log: \(record.message)")
                #expect(!record.text.contains(Self.chosen), "the password appears in the log: \(record.message)")
            }
        }
    }

    @Test("an unknown, a closed, a malformed and a fullwidth unknown identifier get the same success and no mail")
    func nobodyGetsNothing() async throws {
        try await TestServer.with { server in
            let client = try RawLDAPClient(port: server.port)
            var id = 1
            for identifier in ["XXX0606XX99", DemoDirectory.closedUserIdentifier, "uid=*)(mail=*", "ＸＸＸ０６０６ＸＸ99", String(repeating: "A", count: 5000)] {
                #expect(try await Self.forgot(client, identifier, id: id) == .success)
                id += 1
            }
            #expect(await server.recoveryWorkDone())
            #expect(try server.maildir.delivered().isEmpty)
        }
    }

    @Test("fullwidth and case variants of one identifier are one identifier: they reach the person and share its rate limit")
    func normalisedRateLimit() async throws {
        try await TestServer.with { server in
            let client = try RawLDAPClient(port: server.port)
            // Before the fix each spelling had its own count, and all reached the same entry in slapd.
            let spellings = ["ＸＸＸ０６０６ＸＸ10", "xxx0606xx10", "XXX0606XX10"]
            for (index, spelling) in spellings.enumerated() {
                #expect(try await Self.forgot(client, spelling, id: index + 1) == .success)
                #expect(await server.recoveryWorkDone())
            }
            let fourth = try await Self.forgot(client, "Ｘxx0606XX10", id: 4)
            #expect(fourth.code == .busy)
            #expect(fourth.diagnosticMessage.contains("R6"))
            #expect(try server.recoveryMailCount(to: "l.durand@partenaire.fr") == 3)
            // The last link is the good one; the earlier ones were replaced.
            let (_, token) = try server.mailedRecoveryLink(to: "l.durand@partenaire.fr")
            #expect(try await Self.complete(client, token: token, password: Self.chosen, id: 5) == .success)
        }
    }

    /// A mail server that holds every message until released.
    final class HeldMail: MailTransport, @unchecked Sendable {
        private let lock = NSLock()
        private var enteredCount = 0
        private var released = false
        private var waiters: [CheckedContinuation<Void, Never>] = []

        var entered: Int { lock.withLock { enteredCount } }

        func send(_ message: MailMessage) async throws {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resume = lock.withLock { () -> Bool in
                    enteredCount += 1
                    if released { return true }
                    waiters.append(continuation)
                    return false
                }
                if resume { continuation.resume() }
            }
        }

        func release() {
            let held = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
                released = true
                defer { waiters = [] }
                return waiters
            }
            for waiter in held { waiter.resume() }
        }
    }

    @Test("the answer does not wait for the look-up and the mail: it comes while the mail is still held")
    func answerBeforeWork() async throws {
        let mail = HeldMail()
        try await TestServer.with(mail: mail) { server in
            let client = try RawLDAPClient(port: server.port, timeoutSeconds: 20)
            // Before the fix the answer came only once the mail was sent: here, never (receive times out).
            #expect(try await Self.forgot(client, "XXX0606XX06", id: 1) == .success)
            #expect(await TestServer.eventually { mail.entered == 1 })
            #expect(server.forgotPassword.work.running == 1)
            mail.release()
            #expect(await server.recoveryWorkDone())
        }
    }

    @Test("an expired link and the link of a person closed since get the one answer, and change nothing")
    func expiredAndClosed() async throws {
        let clock = ManualClock(Date())
        try await TestServer.with(clock: clock) { server in
            let layout = server.directory.layout
            let client = try RawLDAPClient(port: server.port)
            #expect(try await Self.forgot(client, "XXX0606XX07", id: 1) == .success)
            #expect(await server.recoveryWorkDone())
            let expired = try server.mailedRecoveryLink(to: "j.lacroix@partenaire.fr").token
            clock.advance(by: 2 * 3600 + 1)
            let late = try await Self.complete(client, token: expired, password: Self.chosen, id: 2)
            #expect(late.code == .invalidCredentials)
            #expect(late.diagnosticMessage == ForgotPassword.invalidTokenMessage)
            #expect(try await Self.bindStatus(server, layout.user("XXX0606XX07"), DemoDirectory.password) == 0)

            #expect(try await Self.forgot(client, "XXX0606XX08", id: 3) == .success)
            #expect(await server.recoveryWorkDone())
            let token = try server.mailedRecoveryLink(to: "n.dupont@partenaire.fr").token
            let dn = layout.user("XXX0606XX08")
            try await server.directory.store.modify(dn: dn, changes: [
                .init(operation: .replace, modification: PartialAttribute(
                    type: "annCloseDate", strings: [GeneralizedTime.string(clock.now.addingTimeInterval(-60))])),
            ], controls: [])
            let closed = try await Self.complete(client, token: token, password: Self.chosen, id: 4)
            #expect(closed == late)
        }
    }

    @Test("the chosen password must pass the quality rules, each failed criterion named; the token survives a refusal; a temporary password's state is cleared")
    func qualityAndTemporaryState() async throws {
        try await TestServer.with { server in
            let layout = server.directory.layout
            let dn = layout.user("XXX0606XX07")
            // An administrator's reset (R6) still mails a temporary password, which must be changed.
            let reset = try await CommandLineTool.run("ldappasswd", [
                "-x", "-H", server.url, "-D", layout.operatorAccount(DemoDirectory.operatorName), "-w", DemoDirectory.password, dn,
            ])
            #expect(reset.status == 0, "\(reset.error)")
            _ = try server.mailedTemporaryPassword(to: "j.lacroix@partenaire.fr")
            let marked = try await server.directory.store.read(dn, attributes: ["pwdReset"])
            #expect(marked?.values(of: "pwdReset").isEmpty == false)

            let client = try RawLDAPClient(port: server.port)
            #expect(try await Self.forgot(client, "XXX0606XX07", id: 1) == .success)
            #expect(await server.recoveryWorkDone())
            let token = try server.mailedRecoveryLink(to: "j.lacroix@partenaire.fr").token
            let weak = try await Self.complete(client, token: token, password: "court", id: 2)
            #expect(weak.code == .constraintViolation)
            #expect(weak.diagnosticMessage.contains("R6"))
            #expect(weak.diagnosticMessage.contains("il en faut au moins 12"))
            #expect(weak.diagnosticMessage.contains("sortes de caractères"))
            #expect(try await Self.complete(client, token: token, password: Self.chosen, id: 3) == .success)
            let cleared = try await server.directory.store.read(dn, attributes: ["pwdReset"])
            #expect(cleared?.values(of: "pwdReset").isEmpty == true)
            // Not a temporary-password session: the person reads its entry.
            let read = try await CommandLineTool.run("ldapsearch", ["-x", "-LLL", "-H", server.url, "-D", dn, "-w", Self.chosen, "-b", dn, "-s", "base", "uid"])
            #expect(read.status == 0, "\(read.output) \(read.error)")
        }
    }

    @Test("slapd's password policy judges the chosen password: the current one is in its history (19); the current password and the token survive the refusal")
    func slapdPolicyApplies() async throws {
        try await TestServer.with { server in
            let dn = server.directory.layout.user("XXX0606XX06")
            let client = try RawLDAPClient(port: server.port)
            #expect(try await Self.forgot(client, "XXX0606XX06", id: 1) == .success)
            #expect(await server.recoveryWorkDone())
            let token = try server.mailedRecoveryLink(to: "m.dupuis@partenaire.fr").token
            let reused = try await Self.complete(client, token: token, password: DemoDirectory.password, id: 2)
            #expect(reused.code == .constraintViolation, "\(reused)")
            #expect(reused.diagnosticMessage.contains("R6 : le nouveau mot de passe est refusé par la politique de mots de passe"), "\(reused.diagnosticMessage)")
            #expect(try await Self.bindStatus(server, dn, DemoDirectory.password) == 0)
            let retried = try await Self.complete(client, token: token, password: Self.chosen, id: 3)
            #expect(retried == .success, "\(retried)")
            #expect(try await Self.bindStatus(server, dn, Self.chosen) == 0)
        }
    }

    @Test("no client writes the recovery attributes: an administrator planting a token it knows is refused (R6)")
    func recoveryAttributesAreTheServers() async throws {
        try await TestServer.with { server in
            let layout = server.directory.layout
            let token = RecoveryToken.generate()
            let result = try await CommandLineTool.run("ldapmodify", [
                "-x", "-H", server.url, "-D", layout.user(DemoDirectory.administratorIdentifier), "-w", DemoDirectory.password,
            ], input: """
                dn: \(layout.user("XXX0606XX06"))
                changetype: modify
                replace: annRecoveryTokenHash
                annRecoveryTokenHash: \(token.hash)

                """)
            #expect(result.status == 50, "\(result.output) \(result.error)")
            #expect((result.output + result.error).contains("R6"))
            let client = try RawLDAPClient(port: server.port)
            #expect(try await Self.complete(client, token: token.text, password: Self.chosen, id: 1).code == .invalidCredentials)
        }
    }
}

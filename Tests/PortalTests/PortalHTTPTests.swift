import AnnuaireTestSupport
import DirectoryServer
import Foundation
import Habilitations
import NIOSSL
@testable import Portal
import Testing

/// The portal over real HTTPS, driven with curl: security headers, cookie
/// flags, CSRF, login rate limits, no session fixation, and the login page's
/// R10 texts read from the directory (issue #17, items 1, 2 and 4).
@Suite(.serialized) struct PortalHTTPTests {
    /// An HTTPS portal on a fresh self-signed certificate in front of a demo server.
    static func withPortal(
        clock: any HabilitationClock = SystemClock(), server configureServer: @escaping (inout ServerConfiguration) -> Void = { _ in },
        configure: @escaping (inout PortalConfiguration) -> Void = { _ in }, _ body: (TestServer, RunningPortal) async throws -> Void
    ) async throws {
        let folder = try TestDirectory.makeTemporaryFolder("portal-tls")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (certificate, _) = try ServerCertificate.loadOrGenerateSelfSigned(in: URL(fileURLWithPath: folder), hostnames: ["127.0.0.1"])
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: certificate.certificateChain.map { .certificate($0) }, privateKey: .privateKey(certificate.privateKey))
        tls.minimumTLSVersion = .tlsv12
        try await TestServer.with(clock: clock, configure: configureServer) { server in
            let portal = try await RunningPortal.start(server: server, tls: tls, configure: configure)
            do {
                try await body(server, portal)
            } catch {
                await portal.stop()
                throw error
            }
            await portal.stop()
        }
    }

    /// One curl request with a cookie jar; the status line and headers (lower-cased names) and the body.
    struct Answer {
        var status: Int
        var headers: [(String, String)]
        var body: String
        func header(_ name: String) -> [String] { headers.filter { $0.0 == name.lowercased() }.map(\.1) }
        var csrf: String? {
            guard let range = body.range(of: #"name="csrf" value="([A-Za-z0-9_-]{43})""#, options: .regularExpression) else { return nil }
            return String(body[range].dropFirst(#"name="csrf" value=""#.count).dropLast())
        }
    }

    static func curl(_ url: String, jar: String, form: [String: String]? = nil) async throws -> Answer {
        var arguments = ["-k", "-s", "-i", "-b", jar, "-c", jar, url]
        if let form {
            for (name, value) in form.sorted(by: { $0.key < $1.key }) { arguments += ["--data-urlencode", "\(name)=\(value)"] }
        }
        let result = try await CommandLineTool.run("curl", arguments)
        try #require(result.status == 0, "curl \(url): \(result.error)")
        let parts = result.output.components(separatedBy: "\r\n\r\n")
        let head = parts.first ?? ""
        let lines = head.components(separatedBy: "\r\n")
        let status = Int(lines.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
        let headers = lines.dropFirst().compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return Answer(status: status, headers: headers, body: parts.dropFirst().joined(separator: "\r\n\r\n"))
    }

    /// A page's `<main>` (what a failed expectation shows of it).
    static func mainText(_ body: String) -> String {
        guard let start = body.range(of: "<main"), let end = body.range(of: "</main>") else { return body }
        return String(body[start.lowerBound..<end.upperBound])
    }

    static func jar() throws -> String {
        try TestDirectory.makeTemporaryFolder("portal-jar") + "/cookies"
    }

    @Test func loginPageHeadersCookieAndLegalWarning() async throws {
        try await Self.withPortal { _, portal in
            let answer = try await Self.curl(portal.url + "/connexion", jar: try Self.jar())
            #expect(answer.status == 200)
            #expect(answer.header("content-security-policy").first?.contains("script-src 'self'") == true)
            #expect(answer.header("content-security-policy").first?.contains("unsafe-inline") == false)
            #expect(answer.header("x-frame-options") == ["DENY"])
            #expect(answer.header("x-content-type-options") == ["nosniff"])
            #expect(answer.header("strict-transport-security").first?.hasPrefix("max-age=") == true)
            let cookie = try #require(answer.header("set-cookie").first { $0.hasPrefix("__Host-annuaire_session=") })
            for flag in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] { #expect(cookie.contains(flag), "\(flag) in \(cookie)") }
            // R10: the legal warning and the usage rules as the directory holds them.
            #expect(answer.body.contains("SÉCURITÉ"))
            #expect(answer.body.contains("loi Godfrain"))
            #expect(answer.body.contains("Ne partagez jamais votre identifiant et votre mot de passe."))
            #expect(answer.body.contains("Mot de passe oublié ?"))
            #expect(!answer.body.contains("<script>"), "no inline script")
        }
    }

    @Test func formWithoutItsTokenIsRefused() async throws {
        try await Self.withPortal { _, portal in
            let jar = try Self.jar()
            _ = try await Self.curl(portal.url + "/connexion", jar: jar)
            let refused = try await Self.curl(portal.url + "/connexion", jar: jar, form: [
                "identifiant": DemoDirectory.administratorIdentifier, "motdepasse": DemoDirectory.password,
            ])
            #expect(refused.status == 403)
            let wrong = try await Self.curl(portal.url + "/connexion", jar: jar, form: [
                "identifiant": DemoDirectory.administratorIdentifier, "motdepasse": DemoDirectory.password, "csrf": SessionSecret.make(),
            ])
            #expect(wrong.status == 403)
        }
    }

    @Test func loginMakesANewSessionIdAndLogoutEndsIt() async throws {
        try await Self.withPortal { _, portal in
            let jar = try Self.jar()
            let page = try await Self.curl(portal.url + "/connexion", jar: jar)
            let before = try #require(page.header("set-cookie").first)
            let login = try await Self.curl(portal.url + "/connexion", jar: jar, form: [
                "identifiant": DemoDirectory.administratorIdentifier, "motdepasse": DemoDirectory.password, "csrf": try #require(page.csrf),
            ])
            #expect(login.status == 303)
            #expect(login.header("location") == ["/accueil"])
            let after = try #require(login.header("set-cookie").first)
            #expect(before.split(separator: ";")[0] != after.split(separator: ";")[0], "a new session id after login (no fixation)")
            let welcome = try await Self.curl(portal.url + "/accueil", jar: jar)
            #expect(welcome.status == 200)
            #expect(welcome.body.contains("Gestion des habilitations"))
            #expect(!welcome.body.contains(DemoDirectory.password), "the password is nowhere in the page")
            let logout = try await Self.curl(portal.url + "/deconnexion", jar: jar, form: ["csrf": try #require(welcome.csrf)])
            #expect(logout.header("location") == ["/connexion"])
            // The old session id is dead even if replayed.
            let replay = try await Self.curl(portal.url + "/accueil", jar: jar)
            #expect(replay.status == 303)
        }
    }

    @Test func loginRateLimitPerIdentifierSaysNothingAboutExistence() async throws {
        try await Self.withPortal(configure: { $0.loginPerIdentifier = .init(attempts: 2, windowSeconds: 600) }) { _, portal in
            for identifier in [DemoDirectory.administratorIdentifier, "NOBODY0000"] {
                let jar = try Self.jar()
                var statuses: [Int] = []
                var lastBody = ""
                for _ in 0..<3 {
                    let page = try await Self.curl(portal.url + "/connexion", jar: jar)
                    let answer = try await Self.curl(portal.url + "/connexion", jar: jar, form: [
                        "identifiant": identifier, "motdepasse": "not-the-password", "csrf": try #require(page.csrf),
                    ])
                    statuses.append(answer.status)
                    lastBody = answer.body
                }
                #expect(statuses == [401, 401, 429], "\(identifier)")
                #expect(lastBody.contains("Trop de tentatives de connexion"))
            }
        }
    }

    /// Logs in through the form; the answer to the POST.
    static func login(_ portal: RunningPortal, jar: String, identifier: String, password: String) async throws -> Answer {
        let page = try await curl(portal.url + "/connexion", jar: jar)
        return try await curl(portal.url + "/connexion", jar: jar, form: [
            "identifiant": identifier, "motdepasse": password, "csrf": try #require(page.csrf),
        ])
    }

    /// The identifiers in the users table of a page.
    static func listedIdentifiers(_ body: String) -> [String] {
        let pattern = #"<tr><td>(XXX[0-9A-Z]+)</td>"#
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return [] }
        return expression.matches(in: body, range: NSRange(body.startIndex..., in: body)).compactMap { match in
            Range(match.range(at: 1), in: body).map { String(body[$0]) }
        }
    }

    @Test func usersAreListedOnePageAtATimeThroughPagedResults() async throws {
        try await Self.withPortal(configure: { $0.usersPageSize = 3 }) { _, portal in
            let jar = try Self.jar()
            _ = try await Self.login(portal, jar: jar, identifier: DemoDirectory.administratorIdentifier, password: DemoDirectory.password)
            var seen: [String] = []
            var answer = try await Self.curl(portal.url + "/utilisateurs?convention=CONV-0606-001", jar: jar)
            var pages = 0
            while true {
                pages += 1
                let identifiers = Self.listedIdentifiers(answer.body)
                #expect(identifiers.count <= 3, "a page holds at most the page size")
                seen += identifiers
                guard answer.body.contains("id=\"page-suivante\""), pages < 10 else { break }
                answer = try await Self.curl(portal.url + "/utilisateurs?convention=CONV-0606-001&page=suivante", jar: jar)
            }
            #expect(pages >= 3, "the demo convention's 7 users take 3 pages of 3")
            #expect(Set(seen).count == seen.count, "no user twice")
            #expect(Set(seen).isSuperset(of: ["XXX0606XX01", "XXX0606XX06", "XXX0606XX09", "XXX0606XX11"]))
            #expect(answer.body.contains("Page \(pages)"))
        }
    }

    @Test func anExpiredTemporaryPasswordSaysSoAndPointsToForgotPassword() async throws {
        let clock = ManualClock(Date())
        try await Self.withPortal(clock: clock) { server, portal in
            let layout = server.directory.layout
            let reset = try await CommandLineTool.run("ldappasswd", [
                "-x", "-H", server.url, "-D", layout.operatorAccount(DemoDirectory.operatorName), "-w", DemoDirectory.password,
                layout.user("XXX0606XX07"),
            ])
            try #require(reset.status == 0, "\(reset.error)")
            let temporary = try server.mailedTemporaryPassword(to: "j.lacroix@partenaire.fr")
            // Within the 24 hours: the change form at once, and nothing else (R6).
            let jar = try Self.jar()
            let fresh = try await Self.login(portal, jar: jar, identifier: "XXX0606XX07", password: temporary)
            #expect(fresh.header("location") == ["/mot-de-passe/changer"])
            let elsewhere = try await Self.curl(portal.url + "/utilisateurs", jar: jar)
            #expect(elsewhere.header("location") == ["/mot-de-passe/changer"])
            // After them: not "wrong password" but "expired", with the way out.
            clock.advance(by: 25 * 3600)
            let expired = try await Self.login(portal, jar: try Self.jar(), identifier: "XXX0606XX07", password: temporary)
            #expect(expired.status == 401)
            #expect(expired.body.contains("Votre mot de passe a expiré"))
            #expect(expired.body.contains("Mot de passe oublié"))
            #expect(!expired.body.contains("Identifiant ou mot de passe incorrect"))
        }
    }

    /// The server closes connections idle for its --idle-timeout; the portal keeps a session's
    /// connection alive while the session lasts ("Who am I?" on a connection unused for a while).
    @Test func aSessionOutlivesTheServersIdleTimeout() async throws {
        try await Self.withPortal(server: { $0.idleTimeout = 2 }, configure: { $0.sessions.keepAliveSeconds = 0.5 }) { _, portal in
            let jar = try Self.jar()
            _ = try await Self.login(portal, jar: jar, identifier: DemoDirectory.administratorIdentifier, password: DemoDirectory.password)
            try await Task.sleep(for: .seconds(5))
            let users = try await Self.curl(portal.url + "/utilisateurs?convention=CONV-0606-001", jar: jar)
            #expect(users.status == 200, "the session's connection is still open: \(users.header("location"))")
            #expect(users.body.contains("XXX0606XX06"))
        }
    }

    /// Without the keep-alive the server's idle timeout ends the connection, and the portal ends the session cleanly.
    @Test func aConnectionTheServerClosedEndsTheSession() async throws {
        try await Self.withPortal(server: { $0.idleTimeout = 2 }, configure: { $0.sessions.keepAliveSeconds = 3600 }) { _, portal in
            let jar = try Self.jar()
            _ = try await Self.login(portal, jar: jar, identifier: DemoDirectory.administratorIdentifier, password: DemoDirectory.password)
            try await Task.sleep(for: .seconds(5))
            let users = try await Self.curl(portal.url + "/utilisateurs?convention=CONV-0606-001", jar: jar)
            #expect(users.header("location") == ["/connexion?expiree=1"])
            let login = try await Self.curl(portal.url + "/connexion?expiree=1", jar: jar)
            #expect(login.body.contains("Votre session a expiré"))
        }
    }

    /// Established TCP connections to the LDAP server's loopback port (client sides, from /proc/net/tcp and tcp6:
    /// IPv4 peers may show as IPv4-mapped IPv6 addresses).
    static func connections(to port: Int) throws -> Int {
        let table = try socketTable()
        let hexPort = String(format: "%04X", port)
        return table.split(separator: "\n").filter { line in
            let fields = line.split(separator: " ")
            return fields.count > 3 && fields[2].hasSuffix(":" + hexPort) && fields[3] == "01"
        }.count
    }

    /// /proc/net/tcp and tcp6 read to their end (procfs files report a size of 0: read until EOF, not by size).
    static func socketTable() throws -> String {
        try ["/proc/net/tcp", "/proc/net/tcp6"].map { path in
            guard let handle = FileHandle(forReadingAtPath: path) else { throw EmbeddedSlapdTestError("cannot read \(path)") }
            defer { try? handle.close() }
            return String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
        }.joined(separator: "\n")
    }

    static func waitFor(_ expected: Int, connectionsTo port: Int) async throws -> Int {
        var count = try connections(to: port)
        for _ in 0..<50 where count != expected {
            try await Task.sleep(for: .milliseconds(100))
            count = try connections(to: port)
        }
        return count
    }

    @Test func theSessionHoldsOneConnectionClosedAtLogout() async throws {
        try await Self.withPortal { server, portal in
            let before = try await Self.waitFor(0, connectionsTo: server.port)
            let jar = try Self.jar()
            let login = try await Self.login(portal, jar: jar, identifier: DemoDirectory.administratorIdentifier, password: DemoDirectory.password)
            #expect(login.status == 303)
            let held = try await Self.waitFor(before + 1, connectionsTo: server.port)
            #expect(held == before + 1, "one LDAP connection held for the session (before \(before), now \(held))")
            let welcome = try await Self.curl(portal.url + "/accueil", jar: jar)
            _ = try await Self.curl(portal.url + "/deconnexion", jar: jar, form: ["csrf": try #require(welcome.csrf)])
            #expect(try await Self.waitFor(before, connectionsTo: server.port) == before, "closed at logout")
        }
    }

    @Test func loggedInSessionsAreBounded() async throws {
        try await Self.withPortal(configure: { $0.sessions.maximumPersonSessions = 1 }) { server, portal in
            let first = try await Self.login(portal, jar: try Self.jar(), identifier: DemoDirectory.administratorIdentifier, password: DemoDirectory.password)
            #expect(first.status == 303)
            let second = try await Self.login(portal, jar: try Self.jar(), identifier: "XXX0606XX06", password: DemoDirectory.password)
            #expect(second.status == 503)
            #expect(second.body.contains("trop de personnes"))
        }
    }

    @Test func englishFromTheLanguageLink() async throws {
        try await Self.withPortal { _, portal in
            let jar = try Self.jar()
            _ = try await Self.curl(portal.url + "/connexion", jar: jar)
            let switched = try await Self.curl(portal.url + "/langue?code=en&retour=/connexion", jar: jar)
            #expect(switched.header("location") == ["/connexion"])
            let page = try await Self.curl(portal.url + "/connexion", jar: jar)
            #expect(page.body.contains("<html lang=\"en\">"))
            #expect(page.body.contains("Forgot your password?"))
            let outside = try await Self.curl(portal.url + "/langue?code=en&retour=//evil.example/", jar: jar)
            #expect(outside.header("location") == ["/connexion"], "no open redirect")
        }
    }

    @Test func plainHTTPOnlyOnLoopback() {
        let endpoint = DirectoryEndpoint(uri: "ldap://127.0.0.1:3389")
        #expect(throws: PortalConfiguration.PlainHTTPOffLoopback.self) {
            try PortalConfiguration(host: "0.0.0.0", port: 8080, tls: nil, directory: endpoint).validate()
        }
        #expect(throws: Never.self) { try PortalConfiguration(host: "127.0.0.1", port: 8080, tls: nil, directory: endpoint).validate() }
    }
}

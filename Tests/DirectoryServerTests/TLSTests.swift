import AnnuaireTestSupport
import DirectoryServer
import Foundation
import Habilitations
import LDAPProtocol
import Logging
import Testing

/// StartTLS (RFC 4511 §4.14) and LDAPS with the generated self-signed
/// certificate, checked with ldap-utils (libldap on GnuTLS) trusting it
/// through LDAPTLS_CACERT, and `--require-tls` (RFC 4513 §5.1.3: 13).
@Suite("TLS: StartTLS, LDAPS, require-TLS")
struct TLSTests {
    static func withTLSServer(requireTLS: Bool = false, _ body: (TestServer, String) async throws -> Void) async throws {
        try await TestServer.withTLS(requireTLS: requireTLS, body)
    }

    @Test("ldapwhoami -ZZ over StartTLS and over ldaps:// trust the generated certificate")
    func startTLSAndLDAPS() async throws {
        try await Self.withTLSServer { server, certificate in
            let dn = server.directory.layout.user("XXX0606XX06")
            let environment = ["LDAPTLS_CACERT": certificate]
            let startTLS = try await CommandLineTool.run(
                "ldapwhoami", ["-ZZ", "-x", "-H", server.url, "-D", dn, "-w", DemoDirectory.password], environment: environment)
            #expect(startTLS.status == 0, "\(startTLS.error)")
            #expect(startTLS.output.contains("dn:\(dn)"))
            let ldapsPort = try #require(server.ldapsPort)
            let ldaps = try await CommandLineTool.run(
                "ldapwhoami", ["-x", "-H", "ldaps://127.0.0.1:\(ldapsPort)", "-D", dn, "-w", DemoDirectory.password], environment: environment)
            #expect(ldaps.status == 0, "\(ldaps.error)")
            #expect(ldaps.output.contains("dn:\(dn)"))
            let rootDSE = try await CommandLineTool.run("ldapsearch", ["-x", "-LLL", "-H", server.url, "-b", "", "-s", "base", "supportedExtension"])
            #expect(rootDSE.output.contains("supportedExtension: 1.3.6.1.4.1.1466.20037"))
            // Without the certificate the client refuses the server (a real check is made).
            let untrusted = try await CommandLineTool.run(
                "ldapwhoami", ["-x", "-H", "ldaps://127.0.0.1:\(ldapsPort)"], environment: ["LDAPTLS_CACERT": "/dev/null"])
            #expect(untrusted.status != 0)
        }
    }

    @Test("with --require-tls a simple bind in clear gets confidentialityRequired (13); after StartTLS it works")
    func requireTLS() async throws {
        try await Self.withTLSServer(requireTLS: true) { server, certificate in
            let dn = server.directory.layout.user("XXX0606XX07")
            let clear = try await CommandLineTool.run("ldapwhoami", ["-x", "-H", server.url, "-D", dn, "-w", DemoDirectory.password])
            #expect(clear.status == 13)
            #expect(clear.error.contains("Confidentiality required"))
            let protected = try await CommandLineTool.run(
                "ldapwhoami", ["-ZZ", "-x", "-H", server.url, "-D", dn, "-w", DemoDirectory.password],
                environment: ["LDAPTLS_CACERT": certificate])
            #expect(protected.status == 0, "\(protected.error)")
        }
    }

    @Test("RFC 4511 §4.14.1: StartTLS sent as soon as the previous operation's answer arrived is accepted, 50 connections in a row")
    func startTLSRightAfterAnAnswer() async throws {
        // The window made wide: the search's operation line is written after its answer was sent and
        // before the operation leaves the session's registry; a log handler that takes 60 ms over it
        // keeps the answered search "in progress" while the client's StartTLS arrives. The server must
        // wait for it to end (up to 200 ms) rather than refuse with operationsError.
        let slowLines = SlowSearchLines(delay: 0.06)
        var logger = Logger(label: "annuaire.tests.slow-search-lines") { _ in slowLines }
        logger.logLevel = .info
        try await TestServer.withTLS(logger: logger) { server, _ in
            for attempt in 0..<50 {
                let client = try RawLDAPClient(port: server.port)
                let search = SearchRequest(baseObject: "", scope: .baseObject, attributes: ["supportedExtension"])
                try await client.send(LDAPMessage(messageID: 1, operation: .searchRequest(search)))
                while let message = try await client.receive() {
                    if case .searchResultDone = message.operation { break }
                }
                try await client.send(LDAPMessage(messageID: 2, operation: .extendedRequest(ExtendedRequest(name: "1.3.6.1.4.1.1466.20037", value: nil))))
                guard case .extendedResponse(let response) = try #require(try await client.receive()).operation else {
                    Issue.record("attempt \(attempt): expected the StartTLS response")
                    return
                }
                #expect(response.result.code == .success, "attempt \(attempt): \(response.result.diagnosticMessage)")
            }
        }
        // The delay was really in the way: once per search.
        #expect(slowLines.delayed >= 50)
    }

    @Test("StartTLS on a server without a certificate is refused cleanly")
    func noTLS() async throws {
        try await TestServer.with(demo: false) { server in
            let result = try await CommandLineTool.run("ldapwhoami", ["-ZZ", "-x", "-H", server.url])
            #expect(result.status != 0)
            #expect(result.error.contains("Protocol error") || result.error.contains("unsupported"))
        }
    }
}

/// A log handler that holds the thread writing a search's operation line for `delay` (the line is
/// written once the answer is sent, before the operation leaves the session's registry).
private final class SlowSearchLines: LogHandler, @unchecked Sendable {
    let delay: TimeInterval
    private let lock = NSLock()
    private var count = 0
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    init(delay: TimeInterval) { self.delay = delay }

    var delayed: Int { lock.withLock { count } }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        guard event.message.description == "operation", event.metadata?["operation"]?.description == "search" else { return }
        lock.withLock { count += 1 }
        Thread.sleep(forTimeInterval: delay)
    }
}

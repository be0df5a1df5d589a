import AnnuaireTestSupport
import DirectoryBackend
import DirectoryServer
import Foundation
import Habilitations
import LDAPProtocol
import NIOCore
import Testing

/// Issue #14, findings 6 and 10: paged search sequences are bounded per
/// identity and in total, not only per connection (each holds a slapd
/// connection, a file descriptor); the connection limit is derived from the
/// process's descriptor limit; client-supplied strings are cut in logs and
/// diagnostics.
@Suite("Bounded resources (issue #14 findings 6 and 10)", .serialized)
struct ResourceBoundsTests {
    static func bound(_ server: TestServer, _ dn: String) async throws -> RawLDAPClient {
        let client = try RawLDAPClient(port: server.port, timeoutSeconds: 20)
        try await client.send(LDAPMessage(messageID: 1, operation: .bindRequest(BindRequest(
            name: dn, authentication: .simple(password: Array(DemoDirectory.password.utf8))))))
        guard case .bindResponse(let response) = try #require(try await client.receive()).operation, response.result.code == .success else {
            throw EmbeddedSlapdTestError("bind as \(dn) failed")
        }
        return client
    }

    /// One page of one entry of the people the client sees; returns the result and the cookie.
    static func page(_ client: RawLDAPClient, _ base: String, cookie: [UInt8], id: Int) async throws -> (LDAPResult, [UInt8]) {
        let request = SearchRequest(baseObject: base, scope: .singleLevel, attributes: ["1.1"])
        try await client.send(LDAPMessage(
            messageID: id, operation: .searchRequest(request), controls: [PagedResultsControl(size: 1, cookie: cookie).control()]))
        while let message = try await client.receive() {
            if case .searchResultDone(let result) = message.operation {
                let control = message.controls.first { $0.oid == PagedResultsControl.oid }
                return (result, try control.map { try PagedResultsControl($0).cookie } ?? [])
            }
        }
        throw EmbeddedSlapdTestError("the connection closed during a search")
    }

    /// File descriptors this process has open now (the server runs in it).
    static func openDescriptors() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
    }

    @Test("one identity's paged sequences are bounded over all its connections: the least recently used ends, its slapd connection closed")
    func pagedPerIdentity() async throws {
        try await TestServer.with(configure: { $0.maximumPagedSearchesPerIdentity = 3 }) { server in
            let layout = server.directory.layout
            let administrator = layout.user(DemoDirectory.administratorIdentifier)
            let connections = 10
            var clients: [RawLDAPClient] = []
            for _ in 0..<connections { clients.append(try await Self.bound(server, administrator)) }
            let before = Self.openDescriptors()
            var cookies: [[UInt8]] = []
            // Four sequences on each connection (the per-connection bound), 40 in all: before the fix,
            // 40 slapd connections stayed open.
            for client in clients {
                for id in 2..<6 {
                    let (result, cookie) = try await Self.page(client, layout.people, cookie: [], id: id)
                    #expect(result.code == .success)
                    #expect(!cookie.isEmpty)
                    cookies.append(cookie)
                }
            }
            // The three most recent go on; the first ended.
            let (latest, _) = try await Self.page(try #require(clients.last), layout.people, cookie: try #require(cookies.last), id: 10)
            #expect(latest.code == .success)
            let (first, _) = try await Self.page(clients[0], layout.people, cookie: cookies[0], id: 11)
            #expect(first.code == .protocolError)
            #expect(first.diagnosticMessage.contains("unknown paged results cookie"))
            // Descriptors: at most the 3 sequences' slapd connections more, and those the fast path keeps
            // for the next sequences (a few per event loop), two descriptors each there (libldap's and
            // the event loop's copy), and a few of the process's own.
            let kept = UpstreamLoopLinks.idlePagedLinksKept * System.coreCount
            let settled = await TestServer.eventually(seconds: 10) { Self.openDescriptors() <= before + 2 * (3 + kept) + 8 }
            #expect(settled, "open descriptors: \(Self.openDescriptors()), before the sequences: \(before)")
        }
    }

    @Test("all identities' paged sequences together are bounded: beyond the total, the least recently used ends")
    func pagedTotal() async throws {
        try await TestServer.with(configure: { $0.maximumPagedSearches = 2 }) { server in
            let layout = server.directory.layout
            let administrator = try await Self.bound(server, layout.user(DemoDirectory.administratorIdentifier))
            let operatorClient = try await Self.bound(server, layout.operatorAccount(DemoDirectory.operatorName))
            let (_, a) = try await Self.page(administrator, layout.people, cookie: [], id: 2)
            let (_, b) = try await Self.page(operatorClient, layout.people, cookie: [], id: 2)
            let (_, c) = try await Self.page(operatorClient, layout.people, cookie: [], id: 3)
            #expect(![a, b, c].contains([]))
            #expect(try await Self.page(administrator, layout.people, cookie: a, id: 4).0.code == .protocolError)
            #expect(try await Self.page(operatorClient, layout.people, cookie: b, id: 4).0.code == .success)
            #expect(try await Self.page(operatorClient, layout.people, cookie: c, id: 5).0.code == .success)
        }
    }

    @Test("the connection limit leaves the reserved descriptors and the paged sequences' share free")
    func descriptorBudget() {
        let small = DescriptorBudget(descriptorLimit: 1024, requestedConnections: 4096)
        #expect(small.maximumConnections + small.maximumPagedSearches + DescriptorBudget.reserved <= 1024)
        #expect(small.maximumConnections > 400)
        let large = DescriptorBudget(descriptorLimit: 1 << 20, requestedConnections: 4096)
        #expect(large.maximumConnections == 4096)
        #expect(large.maximumPagedSearches == DescriptorBudget.pagedSearchCeiling)
        let tiny = DescriptorBudget(descriptorLimit: 64, requestedConnections: 4096)
        #expect(tiny.maximumConnections >= 1)
        #expect(DescriptorBudget.raisedProcessLimit() > 0)
    }

    @Test("an unknown critical control's OID, an unknown extended operation's name and a search base of 100 KB are cut in logs and diagnostics")
    func boundedStrings() async throws {
        let capture = LogCapture()
        try await TestServer.with(logger: capture.logger()) { server in
            let huge = String(repeating: "7", count: 100_000)
            let client = try RawLDAPClient(port: server.port)
            let control = LDAPControl(oid: "1.2.\(huge)", criticality: true)
            try await client.send(LDAPMessage(
                messageID: 1, operation: .searchRequest(SearchRequest(baseObject: "", scope: .baseObject)), controls: [control]))
            try await client.send(LDAPMessage(messageID: 2, operation: .extendedRequest(ExtendedRequest(name: "1.3.\(huge)"))))
            try await client.send(LDAPMessage(messageID: 3, operation: .searchRequest(SearchRequest(baseObject: "cn=\(huge),\(server.directory.layout.people)", scope: .baseObject))))
            var diagnostics: [String] = []
            while diagnostics.count < 3, let message = try await client.receive() {
                switch message.operation {
                case .searchResultDone(let result): diagnostics.append(result.diagnosticMessage)
                case .extendedResponse(let response): diagnostics.append(response.result.diagnosticMessage)
                default: break
                }
            }
            #expect(diagnostics.count == 3)
            for diagnostic in diagnostics {
                #expect(diagnostic.utf8.count <= 4 * OperationLog.maximumLoggedLength + 64, "a diagnostic of \(diagnostic.utf8.count) bytes")
            }
            #expect(await TestServer.eventually { capture.records.filter { $0.message == "operation" && $0.metadata["messageID"] == "3" }.count == 1 })
            for record in capture.records {
                #expect(record.text.utf8.count < 8 * OperationLog.maximumLoggedLength, "a log record of \(record.text.utf8.count) bytes: \(record.message)")
            }
        }
    }
}

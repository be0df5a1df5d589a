@testable import DirectoryBackend
import Foundation
import Glibc
import LDAPProtocol
import Testing

/// Issue #19, several machines: which provider a connection reached (`ProviderAddress`), and a
/// provider that accepts connections and never answers (a network cut drops packets without a
/// reset; a frozen slapd) being severed (`LiveConnections`, `ProviderWatch`). No slapd needed:
/// a listening socket that never accepts plays the silent provider.
@Suite("Provider links: the provider a connection reached; severing a silent provider")
struct ProviderLinkTests {
    @Test("a provider URI's connections have one comparable form: ip:port for ldap:// and ldaps:// (default ports 389, 636), the socket's path for ldapi://")
    func addressForms() {
        #expect(ProviderAddress.addresses(ofURI: "ldap://127.0.0.1:3999") == ["127.0.0.1:3999"])
        #expect(ProviderAddress.addresses(ofURI: "ldap://127.0.0.1") == ["127.0.0.1:389"])
        #expect(ProviderAddress.addresses(ofURI: "ldaps://127.0.0.1/") == ["127.0.0.1:636"])
        #expect(ProviderAddress.addresses(ofURI: "ldap://[::1]:4000") == ["[::1]:4000"])
        #expect(ProviderAddress.addresses(ofURI: "ldapi://%2Ftmp%2Fp1%2Frun%2Fldapi") == ["/tmp/p1/run/ldapi"])
        #expect(ProviderAddress.addresses(ofURI: "ldap://no-such-provider.invalid:389").isEmpty)
        #expect(ProviderAddress.addresses(ofURI: "not a uri").isEmpty)
    }

    /// A TCP listener on 127.0.0.1 that never accepts: the kernel completes the handshakes, nothing answers.
    static func silentProvider() throws -> (descriptor: CInt, port: UInt16) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(descriptor >= 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                Glibc.bind(descriptor, pointer, length) == 0 && listen(descriptor, 16) == 0
                    && getsockname(descriptor, pointer, &length) == 0
            }
        }
        try #require(bound, "cannot listen on 127.0.0.1 (errno \(errno))")
        return (descriptor, UInt16(bigEndian: address.sin_port))
    }

    @Test("a search waiting on a provider that accepted the connection and never answers fails with unavailable (52) as soon as that provider's connections are severed, not after the 30 s result timeout; other providers' connections are left alone")
    func severingASilentProvider() async throws {
        let silent = try Self.silentProvider()
        defer { close(silent.descriptor) }
        let other = try Self.silentProvider()
        defer { close(other.descriptor) }
        let uri = "ldap://127.0.0.1:\(silent.port)"
        let connection = try LDAPConnection(endpoint: BackendEndpoint(uri: uri, credentials: .anonymous), generation: 0)
        defer { connection.close() }
        let bystander = try LDAPConnection(
            endpoint: BackendEndpoint(uri: "ldap://127.0.0.1:\(other.port)", credentials: .anonymous), generation: 0)
        defer { bystander.close() }
        #expect(connection.peer == "127.0.0.1:\(silent.port)")
        #expect(bystander.peer == "127.0.0.1:\(other.port)")

        let clock = ContinuousClock()
        let started = clock.now
        let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<Result<[SearchEvent], any Error>, Never>) in
            Thread.detachNewThread {
                continuation.resume(returning: Result {
                    let msgid = try connection.startSearch(SearchQuery(base: "dc=annuaire,dc=local", scope: .baseObject), controls: [])
                    return try connection.nextSearchMessages(msgid, limit: 8)
                })
            }
            Thread.detachNewThread {
                usleep(300_000)
                _ = LiveConnections.shared.sever(peers: ProviderAddress.addresses(ofURI: uri))
            }
        }
        let elapsed = clock.now - started
        switch outcome {
        case .success(let events): Issue.record("the silent provider answered: \(events)")
        case .failure(let error):
            let code = (error as? LDAPOperationError)?.code
            #expect(code == .unavailable, "\(error)")
        }
        #expect(elapsed < .seconds(5), "the waiting search ended only after \(elapsed)")
        #expect(connection.isBroken)
        #expect(!bystander.isBroken)
    }
}

import AnnuaireTestSupport
import DirectoryServer
import Foundation
import Habilitations
import Logging
import NIOConcurrencyHelpers
import NIOSSL
import Portal
import ServiceLifecycle
import Testing

/// A portal on an ephemeral loopback port in front of a `TestServer`, run as
/// `annuaire serve --portal-listen` runs it.
final class RunningPortal: Sendable {
    let url: String
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    private init(url: String, group: ServiceGroup, task: Task<Void, any Error>) {
        self.url = url
        self.group = group
        self.task = task
    }

    static func start(
        server: TestServer, tls: TLSConfiguration?, limits: SessionLimits = SessionLimits(), clock: any PortalClock = SystemPortalClock(),
        configure: (inout PortalConfiguration) -> Void = { _ in }
    ) async throws -> RunningPortal {
        let endpoint = DirectoryEndpoint(uri: server.url, tls: .off, suffix: server.directory.layout.suffix)
        var configuration = PortalConfiguration(host: "127.0.0.1", port: 0, tls: tls, directory: endpoint, sessions: limits)
        configure(&configuration)
        let (stream, continuation) = AsyncStream<String>.makeStream()
        let service = try await PortalService(configuration: configuration, clock: clock, logger: TestDirectory.logger) { url in
            continuation.yield(url)
            continuation.finish()
        }
        let group = ServiceGroup(services: [service], logger: TestDirectory.logger)
        let task = Task { try await group.run() }
        var url: String?
        for await value in stream { url = value }
        guard let url else {
            task.cancel()
            throw EmbeddedSlapdTestError("the portal did not start listening")
        }
        return RunningPortal(url: url, group: group, task: task)
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}

/// A clock the test moves forward.
final class SteppedPortalClock: PortalClock {
    private let current = NIOLockedValueBox(Date())
    var now: Date { current.withLockedValue { $0 } }
    func advance(seconds: Double) { current.withLockedValue { $0 += seconds } }
}

/// A second partner with its own administrator (added by the operator over LDAP), for the R8 checks.
enum SecondPartner {
    static let administratorIdentifier = "ADM0000002"
    static let password = "Autre-Secret-2026"

    static func add(to server: TestServer) async throws {
        let layout = server.directory.layout
        let convention = "cn=CONV-2,cn=PART2,\(layout.partners)"
        let result = try await server.modifyAsOperator("""
            dn: cn=PART2,\(layout.partners)
            changetype: add
            objectClass: annPartner
            cn: PART2
            annPartnerType: cn=COMMUNE,\(layout.partnerTypes)

            dn: \(convention)
            changetype: add
            objectClass: annConvention
            cn: CONV-2
            annOpenDate: 20200101000000Z
            annGrantedProfile: cn=T1,cn=CDAP,\(layout.services)

            dn: \(layout.user(administratorIdentifier))
            changetype: add
            objectClass: inetOrgPerson
            uid: \(administratorIdentifier)
            cn: Paul AUTRE
            sn: AUTRE
            givenName: Paul
            mail: p.autre@commune-deux.fr
            annConvention: \(convention)
            annAdministers: \(convention)
            userPassword: \(password)

            dn: cn=G2,\(convention)
            changetype: add
            objectClass: annGroup
            cn: G2
            annLabel: Groupe 2
            annOpenDate: 20200101000000Z
            annResponsible: \(layout.user(administratorIdentifier))

            """)
        try #require(result.status == 0, "adding the second partner: \(result.error)")
    }
}

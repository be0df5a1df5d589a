import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
public import Logging
import NIOCore
public import ServiceLifecycle

/// The portal as a service of `annuaire serve` or `annuaire portal`: the
/// Hummingbird application (HTTPS, or plain HTTP on loopback) and the
/// sweeper that ends expired sessions and closes their LDAP connections.
public struct PortalService: Service {
    let portal: Portal
    let onListening: @Sendable (String) -> Void

    /// Builds the portal (templates loaded, configuration checked); `onListening` gets its base URL once it listens.
    public init(configuration: PortalConfiguration, clock: any PortalClock = SystemPortalClock(), logger: Logger,
                onListening: @escaping @Sendable (String) -> Void = { _ in }) async throws {
        try configuration.validate()
        portal = try await Portal(configuration: configuration, clock: clock, logger: logger)
        self.onListening = onListening
    }

    public func run() async throws {
        let configuration = portal.configuration
        let server: HTTPServerBuilder = try configuration.tls.map { try HTTPServerBuilder.tls(.http1(), tlsConfiguration: $0) } ?? HTTPServerBuilder.http1()
        let onListening = onListening
        var application = Application(
            router: portal.router(), server: server,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in onListening(configuration.baseURL(port: channel.localAddress?.port)) },
            logger: portal.logger)
        application.addServices(SessionSweeper(sessions: portal.sessions))
        try await application.run()
    }
}

/// Ends expired sessions every 30 seconds (`SessionLimits.sweepSeconds`), closing their LDAP connections, even if their browser
/// never comes back; keeps the others' connections from being closed by the server as idle.
struct SessionSweeper: Service {
    let sessions: SessionStore

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: .seconds(sessions.limits.sweepSeconds))
                sessions.sweep()
                for connection in sessions.personConnections {
                    await connection.keepAlive(ifUnusedFor: sessions.limits.keepAliveSeconds)
                }
            }
        }
        sessions.endAll()
    }
}

public import DirectoryServer
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle

/// An `LDAPServer` on an ephemeral loopback port over a `TestDirectory`, run
/// in a `ServiceGroup` as `annuaire serve` runs it.
public final class TestServer: Sendable {
    public let directory: TestDirectory
    public let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    public var url: String { "ldap://127.0.0.1:\(port)" }

    public static func start(demo: Bool = true, configure: (inout ServerConfiguration) -> Void = { _ in }) async throws -> TestServer {
        let directory = try await TestDirectory.start(demo: demo)
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0, suffix: directory.layout.suffix)
        configure(&configuration)
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let server = LDAPServer(configuration: configuration, store: directory.store, logger: TestDirectory.logger) { address in
            continuation.yield(address.port ?? 0)
            continuation.finish()
        }
        let group = ServiceGroup(services: [server], logger: TestDirectory.logger)
        let task = Task { try await group.run() }
        var port = 0
        for await value in stream { port = value }
        guard port > 0 else {
            task.cancel()
            await directory.stop()
            throw EmbeddedSlapdTestError("the server did not start listening")
        }
        return TestServer(directory: directory, port: port, group: group, task: task)
    }

    private init(directory: TestDirectory, port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.directory = directory
        self.port = port
        self.group = group
        self.task = task
    }

    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
        await directory.stop()
    }

    /// Runs `body` with a started server, always stopping it.
    public static func with<T>(demo: Bool = true, _ body: (TestServer) async throws -> T) async throws -> T {
        let server = try await start(demo: demo)
        do {
            let value = try await body(server)
            await server.stop()
            return value
        } catch {
            await server.stop()
            throw error
        }
    }
}

public struct EmbeddedSlapdTestError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

public import DirectoryBackend
public import DirectoryServer
public import Foundation
public import Habilitations
import LDAPProtocol
public import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// The real `LDAPServer` and `HabilitationService` on an ephemeral loopback
/// port, over an `InMemoryDirectoryStore` instead of slapd: the rules
/// (R2–R11, the R8 delegation and target visibility, the derivation, the
/// workflows) answer clients exactly as they do in production, every request
/// goes through the same handlers, and no slapd starts, so suites using it run
/// in parallel. What only slapd decides (password hashing and policy,
/// filters on its indexes, transactions under load, restarts) is tested on
/// `TestServer`.
public final class InMemoryServer: RulesTestServer {
    /// The store and the tree's layout, named as `TestServer.directory` names them.
    public struct Directory: Sendable {
        public let store: InMemoryDirectoryStore
        public let layout: DirectoryLayout
    }

    public let directory: Directory
    public let port: Int
    public let habilitations: HabilitationService
    public let maildir: MaildirTransport
    public let forgotPassword: ForgotPassword
    private let folder: URL
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    public var url: String { "ldap://127.0.0.1:\(port)" }
    public var layout: DirectoryLayout { directory.layout }
    public var store: any DirectoryStore { directory.store }

    /// A store holding what a new data folder holds (the base tree of `Schema/base.ldif.template`
    /// and slapd's subschema) and, when `demo`, the demo directory with its derived state.
    public static func makeStore(demo: Bool = true, layout: DirectoryLayout = DirectoryLayout()) async throws -> InMemoryDirectoryStore {
        let resources = TestDirectory.resources
        let store = try InMemoryDirectoryStore(
            suffix: layout.suffix, attributeTypes: try InMemorySubschema.attributeTypes(resources: resources))
        let base = try ProjectResources.render(resources.baseTemplate, ["SUFFIX": layout.suffix])
        for case .add(let dn, let attributes) in try LDIFParser.parse(base) where (try DistinguishedName(dn)) != store.suffix {
            try await store.add(dn: dn, attributes: attributes, controls: [])
        }
        if demo {
            // The fixture stores only hashes of the demo password (README, "Try it").
            for case .add(_, let attributes) in try DemoDirectory.records(resources: resources, layout: layout) {
                for hash in attributes.first(where: { $0.type.lowercased() == "userpassword" })?.values ?? [] {
                    store.recognize(hash: hash, as: Array(DemoDirectory.password.utf8))
                }
            }
            try await DemoDirectory.load(into: store, resources: resources, layout: layout)
        }
        return store
    }

    /// Runs `body` with a store as `makeStore` makes it (no server) and a temporary folder for
    /// mail, removed afterwards: for tests that call the rules service themselves.
    public static func withDirectory<T>(demo: Bool = true, _ body: (Directory, _ folder: URL) async throws -> T) async throws -> T {
        let layout = DirectoryLayout()
        let directory = Directory(store: try await makeStore(demo: demo, layout: layout), layout: layout)
        let folder = URL(fileURLWithPath: try TestDirectory.makeTemporaryFolder("annmem"))
        defer { try? FileManager.default.removeItem(at: folder) }
        return try await body(directory, folder)
    }

    public static func start(
        demo: Bool = true, clock: any HabilitationClock = SystemClock(), mail: (any MailTransport)? = nil,
        logger: Logger? = nil, configure: (inout ServerConfiguration) -> Void = { _ in }
    ) async throws -> InMemoryServer {
        let logger = logger ?? TestDirectory.logger
        let layout = DirectoryLayout()
        let store = try await makeStore(demo: demo, layout: layout)
        let folder = URL(fileURLWithPath: try TestDirectory.makeTemporaryFolder("annmem"))
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0, suffix: layout.suffix)
        configure(&configuration)
        let maildir = try MaildirTransport(root: folder.appendingPathComponent("mail"))
        let outbox = try MailOutbox(folder: folder.appendingPathComponent("outbox"))
        let habilitations = HabilitationService(
            store: store, layout: layout, clock: clock, mail: mail ?? maildir, outbox: outbox, logger: logger)
        let forgotPassword = ForgotPassword(habilitations: habilitations)
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let server = LDAPServer(
            configuration: configuration, store: store, habilitations: habilitations, forgotPassword: forgotPassword, logger: logger
        ) { address, _ in
            continuation.yield(address.port ?? 0)
            continuation.finish()
        }
        let group = ServiceGroup(services: [server], logger: TestDirectory.logger)
        let task = Task { try await group.run() }
        var port = 0
        for await value in stream { port = value }
        guard port > 0 else {
            task.cancel()
            try? FileManager.default.removeItem(at: folder)
            throw EmbeddedSlapdTestError("the in-memory server did not start listening")
        }
        return InMemoryServer(
            directory: Directory(store: store, layout: layout), port: port, habilitations: habilitations, maildir: maildir,
            forgotPassword: forgotPassword, folder: folder, group: group, task: task)
    }

    private init(
        directory: Directory, port: Int, habilitations: HabilitationService, maildir: MaildirTransport, forgotPassword: ForgotPassword,
        folder: URL, group: ServiceGroup, task: Task<Void, any Error>
    ) {
        self.directory = directory
        self.port = port
        self.habilitations = habilitations
        self.maildir = maildir
        self.forgotPassword = forgotPassword
        self.folder = folder
        self.group = group
        self.task = task
    }

    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
        try? FileManager.default.removeItem(at: folder)
    }

    /// Runs `body` with a started server, always stopping it.
    public static func with<T>(
        demo: Bool = true, clock: any HabilitationClock = SystemClock(), mail: (any MailTransport)? = nil, logger: Logger? = nil,
        configure: (inout ServerConfiguration) -> Void = { _ in }, _ body: (InMemoryServer) async throws -> T
    ) async throws -> T {
        let server = try await start(demo: demo, clock: clock, mail: mail, logger: logger, configure: configure)
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

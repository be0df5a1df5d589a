public import DirectoryServer
public import Habilitations
public import Foundation
public import Logging
import NIOConcurrencyHelpers
import NIOCore
public import ServerApplication

/// An `annuaire serve` on an ephemeral loopback port over a `TestDirectory`:
/// the same `AnnuaireApplication` as the command (rules, reconciler, mail
/// outbox, listeners, one ordered shutdown), with the test's clock, mail
/// transport and server settings; the directory stays the test's to stop.
public final class TestServer: Sendable {
    public let directory: TestDirectory
    public let port: Int
    /// The rules service the server writes through (its clock is the test's).
    public let habilitations: HabilitationService
    /// Where the server's mails land (R6 temporary passwords, R9 identifiers).
    public let maildir: MaildirTransport
    /// The LDAPS port, when the configuration asked for one.
    public let ldapsPort: Int?
    /// The server's password recovery (R6): its background look-ups can be waited for.
    public let forgotPassword: ForgotPassword
    /// The application the server runs in.
    public let application: AnnuaireApplication
    private let task: Task<Void, Never>

    public var url: String { "ldap://127.0.0.1:\(port)" }
    /// The outbox of mails kept for a retry, beside the Maildir (`<data>/mail-outbox`, as `annuaire serve` keeps it).
    public var mailOutbox: URL { application.mailOutbox.folder }

    public static func start(
        demo: Bool = true, path: String? = nil, clock: any HabilitationClock = SystemClock(), mail: (any MailTransport)? = nil,
        logger: Logger? = nil, configure: (inout ServerConfiguration) -> Void = { _ in }
    ) async throws -> TestServer {
        let logger = logger ?? TestDirectory.logger
        let directory = try await TestDirectory.start(demo: demo, path: path)
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0, suffix: directory.layout.suffix)
        configure(&configuration)
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let ldapsWanted = configuration.ldapsPort != nil && configuration.tlsContext != nil
        let ports = NIOLockedValueBox<(plain: Int?, tls: Int?)>((nil, nil))
        let mailFolder = directory.dataDirectory.root.appendingPathComponent("mail")
        var settings = ApplicationSettings(backend: .attached(store: directory.store, slapd: directory.slapd), server: configuration)
        settings.mailFolder = mailFolder
        if let mail { settings.mailTransport = .custom(mail) }
        settings.clock = clock
        // A test that moves its own clock drains the outbox itself, at the moment it chose:
        // the background pass would race it (the job sent by whichever runs first).
        if !(clock is SystemClock) { settings.mailDrainInterval = .seconds(24 * 3600) }
        settings.onListening = { listener in
            let address: SocketAddress
            let tls: Bool
            switch listener {
            case .ldap(let plain): (address, tls) = (plain, false)
            case .ldaps(let secure): (address, tls) = (secure, true)
            case .metrics, .portal: return
            }
            let done = ports.withLockedValue { ports -> Bool in
                if tls { ports.tls = address.port } else { ports.plain = address.port }
                return ports.plain != nil && (!ldapsWanted || ports.tls != nil)
            }
            if done {
                let value = ports.withLockedValue { $0 }
                continuation.yield(value.plain ?? 0)
                if let tlsPort = value.tls { continuation.yield(-tlsPort) }
                continuation.finish()
            }
        }
        let application: AnnuaireApplication
        let maildir: MaildirTransport
        do {
            application = try await AnnuaireApplication.build(settings, logger: logger)
            maildir = try (application.mailTransport as? MaildirTransport) ?? MaildirTransport(root: mailFolder)
        } catch {
            await directory.stop()
            throw error
        }
        let task = Task {
            try? await application.run()
            continuation.finish()  // a server that could not listen ends the wait
        }
        var port = 0
        var ldapsPort: Int?
        for await value in stream {
            if value < 0 { ldapsPort = -value } else { port = value }
        }
        guard port > 0 else {
            await application.triggerShutdown()
            await task.value
            await directory.stop()
            throw EmbeddedSlapdTestError("the server did not start listening")
        }
        return TestServer(directory: directory, port: port, ldapsPort: ldapsPort, application: application, maildir: maildir, task: task)
    }

    private init(
        directory: TestDirectory, port: Int, ldapsPort: Int?, application: AnnuaireApplication, maildir: MaildirTransport,
        task: Task<Void, Never>
    ) {
        self.directory = directory
        self.application = application
        self.forgotPassword = application.forgotPassword
        self.habilitations = application.habilitations
        self.maildir = maildir
        self.port = port
        self.ldapsPort = ldapsPort
        self.task = task
    }

    public func stop() async {
        await application.triggerShutdown()
        await task.value
        await directory.stop()
    }

    /// Runs `body` with a started server, always stopping it.
    public static func with<T>(
        demo: Bool = true, path: String? = nil, clock: any HabilitationClock = SystemClock(), mail: (any MailTransport)? = nil,
        logger: Logger? = nil, configure: (inout ServerConfiguration) -> Void = { _ in }, _ body: (TestServer) async throws -> T
    ) async throws -> T {
        let server = try await start(demo: demo, path: path, clock: clock, mail: mail, logger: logger, configure: configure)
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

extension TestServer {
    /// A server with StartTLS and LDAPS (ephemeral port) on a freshly generated
    /// self-signed certificate; `body` gets the certificate's PEM path, the trust
    /// anchor clients are given (LDAPTLS_CACERT). `logger` receives the server's logs (operation lines included).
    public static func withTLS<T>(
        requireTLS: Bool = false, logger: Logger? = nil, _ body: (TestServer, _ certificatePath: String) async throws -> T
    ) async throws -> T {
        let folder = try TestDirectory.makeTemporaryFolder("tls")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (certificate, _) = try ServerCertificate.loadOrGenerateSelfSigned(in: URL(fileURLWithPath: folder), hostnames: ["127.0.0.1"])
        let context = try certificate.makeServerContext()
        return try await TestServer.with(logger: logger, configure: { configuration in
            configuration.tlsContext = context
            configuration.ldapsHost = "127.0.0.1"
            configuration.ldapsPort = 0
            configuration.requireTLS = requireTLS
        }) { server in
            try await body(server, certificate.certificatePath)
        }
    }
}

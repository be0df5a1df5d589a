import Foundation
import Glibc
public import Logging
import NIOConcurrencyHelpers

/// The slapd that Annuaire owns when no external backend is given
/// (`annuaire serve` with `--data-dir`): configured once from `Schema/`,
/// started as a child listening only on an `ldapi://` socket inside the data
/// folder and reached with SASL EXTERNAL, restarted when it dies while the
/// server runs, stopped cleanly on shutdown.
public final class EmbeddedSlapd: Sendable {
    public struct Configuration: Sendable {
        public var dataDirectory: DataDirectory
        public var suffix: String
        public var resources: ProjectResources
        public var slapdPath = "/usr/sbin/slapd"
        public var slapaddPath = "/usr/sbin/slapadd"
        public var slapmodifyPath = "/usr/sbin/slapmodify"
        public var slapindexPath = "/usr/sbin/slapindex"
        /// The cost of the password hashes slapd makes (applied at every start).
        public var argon2 = Argon2Parameters.default
        public var moduleDirectory = "/usr/lib/ldap"
        public var systemSchemaDirectory = "/etc/ldap/schema"
        /// How long a start may take before it is called failed.
        public var startTimeout: Duration = .seconds(20)
        /// Entries a new data folder is loaded with instead of the suffix tree:
        /// a backup's LDIF (`annuaire restore`). Unused when the folder exists.
        public var initialEntries: String?

        public init(dataDirectory: DataDirectory, suffix: String, resources: ProjectResources) {
            self.dataDirectory = dataDirectory
            self.suffix = suffix
            self.resources = resources
        }
    }

    public let configuration: Configuration
    private let logger: Logger
    private let lock: DataDirectoryLock
    /// Whether this process created the data folder (a first start).
    public let createdDataDirectory: Bool

    private struct State {
        var child: ChildProcess?
        var stopping = false
        var restarts = 0
    }
    private let state = NIOLockedValueBox(State())

    /// The endpoint data operations use: the socket, with SASL EXTERNAL.
    public var endpoint: BackendEndpoint {
        BackendEndpoint(
            uri: configuration.dataDirectory.ldapiURI, credentials: .saslExternal,
            clientAuthorizationDN: Self.frontEndDN(suffix: configuration.suffix))
    }

    /// The identity clients' operations run under in slapd (`BackendEndpoint.clientAuthorizationDN`):
    /// no entry, only a name the data database's access control grants everything in the suffix
    /// but the password attributes (`Schema/slapd-config.ldif.template`).
    public static func frontEndDN(suffix: String) -> String {
        "cn=annuaire-frontend,\(suffix)"
    }

    /// The running slapd's process id.
    public var pid: Int32? { state.withLockedValue { $0.child?.pid } }

    /// How many times slapd was restarted after dying.
    public var restartCount: Int { state.withLockedValue { $0.restarts } }

    /// The DN slapd maps this process to over ldapi (SASL EXTERNAL), root of the data.
    public static var peerCredentialDN: String {
        "gidNumber=\(getegid())+uidNumber=\(geteuid()),cn=peercred,cn=external,cn=auth"
    }

    /// Prepares the data folder: checks that slapd is installed, takes the
    /// folder's lock, stops a slapd left behind by a crashed Annuaire, and
    /// writes slapd's configuration and the suffix tree on a first start.
    public init(configuration: Configuration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        for tool in [configuration.slapdPath, configuration.slapaddPath] where access(tool, X_OK) != 0 {
            throw EmbeddedSlapdError(
                "\(tool) is not installed: install Debian's slapd package (apt-get install slapd ldap-utils), or point Annuaire at an existing OpenLDAP with --backend"
            )
        }
        let directory = configuration.dataDirectory
        try directory.createFolders()
        lock = try directory.lock()
        do {
            try Self.stopOrphan(directory, logger: logger)
            if directory.isInitialized {
                createdDataDirectory = false
                try Self.upgradeConfiguration(configuration, logger: logger)
            } else {
                try directory.removeIncompleteSetup()
                try directory.createFolders()
                try Self.initialize(configuration, logger: logger)
                createdDataDirectory = true
            }
        } catch {
            lock.release()
            throw error
        }
    }

    /// The values of the configuration template's placeholders for this folder.
    static func templateValues(_ configuration: Configuration) -> [String: String] {
        let directory = configuration.dataDirectory
        return [
            "RUN_DIR": directory.runDirectory.path,
            "DB_DIR": directory.databaseDirectory.path,
            "SUFFIX": configuration.suffix,
            "ROOT_DN": peerCredentialDN,
            "FRONTEND_DN": frontEndDN(suffix: configuration.suffix),
            "MODULE_PATH": configuration.moduleDirectory,
            "SYSTEM_SCHEMA_DIR": configuration.systemSchemaDirectory,
            "PROJECT_SCHEMA": configuration.resources.projectSchema.path,
            "ARGON2_PARAMETERS": configuration.argon2.moduleArguments,
        ]
    }

    /// Writes cn=config and the suffix tree with slapadd (slapd not running).
    private static func initialize(_ configuration: Configuration, logger: Logger) throws {
        let directory = configuration.dataDirectory
        logger.info("initializing data folder", metadata: ["path": "\(directory.root.path)", "suffix": "\(configuration.suffix)"])
        let values = templateValues(configuration)
        let configLDIF = directory.runDirectory.appendingPathComponent("config.ldif")
        let baseLDIF = directory.runDirectory.appendingPathComponent("base.ldif")
        defer {
            try? FileManager.default.removeItem(at: configLDIF)
            try? FileManager.default.removeItem(at: baseLDIF)
        }
        try ProjectResources.render(configuration.resources.configTemplate, values).write(to: configLDIF, atomically: true, encoding: .utf8)
        try ProjectResources.render(configuration.resources.baseTemplate, ["SUFFIX": configuration.suffix])
            .write(to: baseLDIF, atomically: true, encoding: .utf8)
        let log = directory.slapdLog.path
        let config = directory.configDirectory.path
        try ChildProcess.run(configuration.slapaddPath, ["-n0", "-F", config, "-l", configLDIF.path], logPath: log)
        try ChildProcess.run(
            configuration.slapaddPath, ["-q", "-n1", "-F", config, "-l", configuration.initialEntries ?? baseLDIF.path], logPath: log)
        try directory.markInitialized()
    }

    /// A slapd still running on this folder after its Annuaire was killed: stop it.
    private static func stopOrphan(_ directory: DataDirectory, logger: Logger) throws {
        guard let text = try? String(contentsOf: directory.slapdPIDFile, encoding: .utf8),
              let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0
        else { return }
        guard let cmdline = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline")) else { return }
        let arguments = String(decoding: cmdline, as: UTF8.self)
        guard arguments.contains("slapd"), arguments.contains(directory.configDirectory.path) else { return }
        logger.warning("stopping a slapd left running on this data folder by an earlier Annuaire", metadata: ["pid": "\(pid)"])
        kill(pid, SIGTERM)
        for _ in 0..<100 where kill(pid, 0) == 0 { usleep(50_000) }
        if kill(pid, 0) == 0 { kill(pid, SIGKILL); usleep(100_000) }
    }

    /// Starts slapd and waits until it answers; then watches it and restarts it if it dies.
    public func start() throws {
        let child = try launch()
        state.withLockedValue { $0.child = child }
        supervise(child)
    }

    private func launch() throws -> ChildProcess {
        let directory = configuration.dataDirectory
        try? FileManager.default.removeItem(at: directory.socket)
        let child = try ChildProcess.spawn(
            configuration.slapdPath,
            ["-d", "0", "-F", directory.configDirectory.path, "-h", directory.ldapiURI],
            logPath: directory.slapdLog.path
        )
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: configuration.startTimeout)
        var lastError: any Error = EmbeddedSlapdError("no answer")
        while clock.now < deadline {
            if child.hasExited() {
                throw EmbeddedSlapdError("slapd exited during start-up\(Self.fileSystemNote(directory)): \(LogFile.tail(directory.slapdLog.path))")
            }
            do {
                _ = try LDAPConnection(endpoint: endpoint, generation: 0)
                logger.info("slapd is ready", metadata: ["pid": "\(child.pid)", "uri": "\(directory.ldapiURI)"])
                return child
            } catch {
                lastError = error
            }
            usleep(50_000)
        }
        child.signal(SIGKILL)
        _ = child.wait()
        throw EmbeddedSlapdError(
            "slapd did not answer within \(configuration.startTimeout) (\(lastError))\(Self.fileSystemNote(directory)): \(LogFile.tail(directory.slapdLog.path))")
    }

    /// ", <what is wrong with the data folder's file system>" when something is.
    private static func fileSystemNote(_ directory: DataDirectory) -> String {
        directory.fileSystemProblem().map { ", \($0)" } ?? ""
    }

    /// Waits for the child on a thread of its own; restarts it unless stopping.
    private func supervise(_ child: ChildProcess) {
        Thread.detachNewThread { [self] in
            var current = child
            var backoff: UInt32 = 100_000
            while true {
                let status = current.wait()
                let stopping = state.withLockedValue { state -> Bool in
                    if state.stopping { state.child = nil }
                    return state.stopping
                }
                if stopping { return }
                logger.error("slapd exited unexpectedly; restarting it", metadata: ["status": "\(status)"])
                while true {
                    usleep(backoff)
                    if state.withLockedValue({ $0.stopping }) {
                        state.withLockedValue { $0.child = nil }
                        return
                    }
                    do {
                        current = try launch()
                        let keep = state.withLockedValue { state -> Bool in
                            state.restarts += 1
                            state.child = current
                            return !state.stopping
                        }
                        if !keep {
                            current.signal(SIGTERM)
                            _ = current.wait()
                            state.withLockedValue { $0.child = nil }
                            return
                        }
                        backoff = 100_000
                        break
                    } catch {
                        logger.error("slapd restart failed", metadata: ["error": "\(error)"])
                        backoff = min(backoff * 2, 5_000_000)
                    }
                }
            }
        }
    }

    /// Stops slapd (SIGTERM, then SIGKILL after 10 s) and releases the data folder.
    public func stop() {
        let child = state.withLockedValue { state -> ChildProcess? in
            state.stopping = true
            return state.child
        }
        if let child {
            child.signal(SIGTERM)
            var waited = 0
            while state.withLockedValue({ $0.child != nil }) && waited < 200 {
                usleep(50_000)
                waited += 1
            }
            if state.withLockedValue({ $0.child != nil }) {
                logger.warning("slapd did not stop within 10 s; killing it")
                child.signal(SIGKILL)
                while state.withLockedValue({ $0.child != nil }) { usleep(50_000) }
            }
        }
        lock.release()
        logger.info("slapd stopped")
    }
}

public import DirectoryBackend
import Foundation
import Glibc
public import Habilitations
public import Logging
import NIOConcurrencyHelpers

/// A real slapd in a temporary folder, started with the same lifecycle code as
/// `annuaire serve` (`EmbeddedSlapd`), with an `OpenLDAPStore` on it and,
/// on request, the demo directory loaded. Every test that needs slapd uses it.
public final class TestDirectory: Sendable {
    public let slapd: EmbeddedSlapd
    public let store: OpenLDAPStore
    public let layout: DirectoryLayout
    public let resources: ProjectResources
    public let dataDirectory: DataDirectory

    public static let logger: Logger = {
        var logger = Logger(label: "annuaire.tests")
        logger.logLevel = ProcessInfo.processInfo.environment["ANNUAIRE_TEST_LOG"] == nil ? .warning : .debug
        return logger
    }()

    /// The repository's root, found from this file's path.
    public static let resources = ProjectResources(
        root: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    )

    /// A fresh folder under /tmp with a short path (slapd's socket path must stay under 107 bytes).
    public static func makeTemporaryFolder(_ prefix: String = "ann") throws -> String {
        var template = Array("/tmp/\(prefix).XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer -> String? in
            guard let base = buffer.baseAddress, let path = mkdtemp(base) else { return nil }
            return String(cString: path)
        }
        guard let created else { throw EmbeddedSlapdError("mkdtemp failed") }
        return created
    }

    private init(slapd: EmbeddedSlapd, store: OpenLDAPStore, layout: DirectoryLayout, dataDirectory: DataDirectory) {
        self.slapd = slapd
        self.store = store
        self.layout = layout
        self.resources = Self.resources
        self.dataDirectory = dataDirectory
    }

    /// The hash cost of test directories: the cheapest argon2 (1 MiB, 1 pass).
    /// Tests check behaviour, not hash strength, and a suite that issues
    /// thousands of temporary passwords (bulk import) would otherwise spend
    /// minutes of CPU in slapd and starve the suites running beside it.
    public static let testArgon2 = Argon2Parameters(memoryKiB: 1024, iterations: 1, parallelism: 1)

    /// Starts slapd in `path` (a new temporary folder by default).
    public static func start(
        demo: Bool = true, path: String? = nil, argon2: Argon2Parameters = TestDirectory.testArgon2,
        resources: ProjectResources = TestDirectory.resources
    ) async throws -> TestDirectory {
        let folder = try path ?? makeTemporaryFolder()
        let layout = DirectoryLayout()
        let dataDirectory = DataDirectory(path: folder)
        var configuration = EmbeddedSlapd.Configuration(dataDirectory: dataDirectory, suffix: layout.suffix, resources: resources)
        configuration.argon2 = argon2
        // slapadd and the wait for slapd block: off the cooperative pool, where
        // the servers of the suites running beside this one have their tasks.
        let settings = configuration
        let slapd = try await OffPool.run {
            let slapd = try EmbeddedSlapd(configuration: settings, logger: logger)
            try slapd.start()
            return slapd
        }
        ChildRegistry.shared.track(slapd)
        var storeConfiguration = OpenLDAPStore.Configuration(endpoint: slapd.endpoint, dataConnections: 4, bindConnections: 2)
        storeConfiguration.storageDiagnosis = { dataDirectory.fileSystemProblem() }
        let store = OpenLDAPStore(configuration: storeConfiguration)
        let directory = TestDirectory(slapd: slapd, store: store, layout: layout, dataDirectory: dataDirectory)
        do {
            try await AttributeTablePrimer.prime(store, suffix: layout.suffix, schema: resources.projectSchema)
            if demo, try await !DemoDirectory.isLoaded(in: store, layout: layout) {
                try await DemoDirectory.load(into: store, resources: resources, layout: layout)
            }
        } catch {
            await directory.stop()
            throw error
        }
        return directory
    }

    /// Stops slapd; removes the folder unless `keepData`.
    public func stop(keepData: Bool = false) async {
        await store.shutdown()
        let slapd = self.slapd
        _ = try? await OffPool.run { slapd.stop() }
        ChildRegistry.shared.untrack(slapd)
        if !keepData { try? FileManager.default.removeItem(at: dataDirectory.root) }
    }

    /// Runs `body` with a started directory, always stopping it.
    public static func with<T>(demo: Bool = true, _ body: (TestDirectory) async throws -> T) async throws -> T {
        let directory = try await start(demo: demo)
        do {
            let value = try await body(directory)
            await directory.stop()
            return value
        } catch {
            await directory.stop()
            throw error
        }
    }
}

/// Kills the slapd children a failed or interrupted test run left running, at process exit.
final class ChildRegistry: Sendable {
    static let shared = ChildRegistry()
    private let slapds = NIOLockedValueBox<[ObjectIdentifier: EmbeddedSlapd]>([:])

    private init() {
        atexit {
            for slapd in ChildRegistry.shared.slapds.withLockedValue({ Array($0.values) }) {
                if let pid = slapd.pid { kill(pid, SIGKILL) }
            }
        }
    }

    func track(_ slapd: EmbeddedSlapd) { slapds.withLockedValue { $0[ObjectIdentifier(slapd)] = slapd } }
    func untrack(_ slapd: EmbeddedSlapd) { _ = slapds.withLockedValue { $0.removeValue(forKey: ObjectIdentifier(slapd)) } }
}

public import Foundation
import Glibc

/// The folder the embedded slapd owns (`--data-dir`): its cn=config, its mdb
/// database, its socket and pid file, its log, and the lock that keeps two
/// Annuaire processes from sharing it.
///
/// ```
/// <data>/config/         slapd's cn=config (slapd.d), written once from Schema/
/// <data>/db/             the mdb database
/// <data>/run/ldapi       the only socket slapd listens on; run/slapd.pid
/// <data>/logs/slapd.log  slapd's output
/// <data>/annuaire.lock   held (flock) by the Annuaire process using the folder
/// <data>/initialized     written last when the folder was set up completely
/// ```
public struct DataDirectory: Sendable {
    public let root: URL

    public init(path: String) {
        root = URL(fileURLWithPath: path).standardizedFileURL
    }

    public var configDirectory: URL { root.appendingPathComponent("config") }
    public var databaseDirectory: URL { root.appendingPathComponent("db") }
    public var runDirectory: URL { root.appendingPathComponent("run") }
    public var logDirectory: URL { root.appendingPathComponent("logs") }
    public var slapdLog: URL { logDirectory.appendingPathComponent("slapd.log") }
    public var socket: URL { runDirectory.appendingPathComponent("ldapi") }
    public var slapdPIDFile: URL { runDirectory.appendingPathComponent("slapd.pid") }
    var lockFile: URL { root.appendingPathComponent("annuaire.lock") }
    var initializedMarker: URL { root.appendingPathComponent("initialized") }

    public var isInitialized: Bool { FileManager.default.fileExists(atPath: initializedMarker.path) }

    /// `ldapi://` with the socket path percent-encoded (RFC 3986 unreserved characters kept).
    public var ldapiURI: String {
        let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
        var encoded = ""
        for byte in socket.path.utf8 {
            if unreserved.contains(byte) {
                encoded.append(Character(Unicode.Scalar(byte)))
            } else {
                encoded += String(format: "%%%02X", byte)
            }
        }
        return "ldapi://\(encoded)"
    }

    /// Creates the folders (mode 0700: the data is the directory's).
    /// A folder that cannot be written (a read-only file system, missing
    /// permissions) is refused here, naming it, rather than by slapd later.
    func createFolders() throws {
        for folder in [root, configDirectory, databaseDirectory, runDirectory, logDirectory] {
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                // Foundation's text for EROFS is "The volume is read only": ask mkdir(2) for the system's.
                let reason = mkdir(folder.path, 0o700) == 0 ? "\(error)" : String(cString: strerror(errno))
                throw EmbeddedSlapdError("cannot create the data folder \(folder.path): \(reason); choose a writable --data-dir")
            }
            // access(2) reports a read-only file system (EROFS) even to root.
            guard access(folder.path, W_OK | X_OK) == 0 else {
                let reason = String(cString: strerror(errno))
                throw EmbeddedSlapdError(
                    "the data folder \(folder.path) is not writable (\(reason)): slapd keeps its database, socket and log there; choose a writable --data-dir"
                )
            }
        }
        // A Unix socket path is limited to 107 bytes (sun_path).
        guard socket.path.utf8.count <= 107 else {
            throw EmbeddedSlapdError("the data folder path is too long for slapd's socket (\(socket.path)); choose a shorter --data-dir")
        }
    }

    /// Takes the folder's lock; fails when another live Annuaire holds it.
    func lock() throws -> DataDirectoryLock {
        let fd = open(lockFile.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw EmbeddedSlapdError("cannot open \(lockFile.path): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOf: lockFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
            close(fd)
            throw EmbeddedSlapdError(
                "the data folder \(root.path) is in use by another Annuaire process (pid \(holder)); stop it first or choose another --data-dir"
            )
        }
        ftruncate(fd, 0)
        let pid = "\(getpid())\n"
        _ = pid.withCString { write(fd, $0, strlen($0)) }
        return DataDirectoryLock(fd: fd)
    }

    /// What is wrong with the file system under the folder, if anything a
    /// store would fail on: no space or no inodes left, or mounted read-only.
    public func fileSystemProblem() -> String? {
        var stats = statvfs()
        guard statvfs(root.path, &stats) == 0 else { return nil }
        if stats.f_flag & UInt(ST_RDONLY) != 0 { return "the data folder \(root.path) is on a read-only file system" }
        // A write transaction needs a few pages: under 1 MiB free counts as full.
        let available = UInt64(stats.f_bavail) * UInt64(stats.f_frsize)
        if available < 1 << 20 {
            return "the data folder \(root.path) has no space left on its file system (\(available / 1024) KiB free)"
        }
        if stats.f_files > 0 && stats.f_favail == 0 { return "the data folder \(root.path) has no inodes left on its file system" }
        return nil
    }

    func markInitialized() throws {
        try Data("1\n".utf8).write(to: initializedMarker)
    }

    /// Removes what a failed first start left behind, so the next one starts clean.
    func removeIncompleteSetup() throws {
        for folder in [configDirectory, databaseDirectory] where FileManager.default.fileExists(atPath: folder.path) {
            try FileManager.default.removeItem(at: folder)
        }
    }
}

/// The flock on `annuaire.lock`, released when the process ends (even by `kill -9`).
final class DataDirectoryLock: Sendable {
    let fd: Int32
    init(fd: Int32) { self.fd = fd }
    func release() {
        flock(fd, LOCK_UN)
        close(fd)
    }
}

import Foundation
import Glibc

/// A small tmpfs mounted on a fresh folder under /tmp, for data folder fault
/// tests: a file system that can be made read-only (`mount -o remount,ro`,
/// which binds root too, unlike permission bits) or filled up. Mounting needs
/// root (CAP_SYS_ADMIN); `unmount` always runs, lazily if the mount is busy.
public final class TemporaryMount: Sendable {
    public let path: String

    /// Whether this process may mount (it runs as root).
    public static var isPossible: Bool { geteuid() == 0 }

    private init(path: String) { self.path = path }

    /// Mounts a tmpfs of `sizeKiB` on a new folder; not being root is an error that says so
    /// (a fault test that cannot mount has proved nothing: it fails rather than skip).
    public static func tmpfs(sizeKiB: Int) async throws -> TemporaryMount {
        guard isPossible else {
            throw EmbeddedSlapdTestError(
                "the data folder fault tests mount a tmpfs, which needs root (CAP_SYS_ADMIN): run the tests as root, as `make test` does on its Debian machine")
        }
        let folder = try TestDirectory.makeTemporaryFolder("annmnt")
        let result = try await CommandLineTool.run("mount", ["-t", "tmpfs", "-o", "size=\(sizeKiB)k,mode=0700", "tmpfs", folder])
        guard result.status == 0 else {
            try? FileManager.default.removeItem(atPath: folder)
            throw EmbeddedSlapdTestError("mount -t tmpfs on \(folder) failed: \(result.error)")
        }
        return TemporaryMount(path: folder)
    }

    public func remount(readOnly: Bool) async throws {
        let result = try await CommandLineTool.run("mount", ["-o", readOnly ? "remount,ro" : "remount,rw", path])
        guard result.status == 0 else { throw EmbeddedSlapdTestError("remount of \(path) failed: \(result.error)") }
    }

    /// Fills the file system with `filler`: written until ENOSPC. Returns the bytes written.
    @discardableResult
    public func fill(_ filler: String = "filler") throws -> Int {
        let file = "\(path)/\(filler)"
        let fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw EmbeddedSlapdTestError("cannot create \(file): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var total = 0
        for chunkSize in [1 << 20, 1 << 16, 1 << 12, 1 << 9] {
            let chunk = [UInt8](repeating: 0x5A, count: chunkSize)
            while true {
                let written = chunk.withUnsafeBytes { write(fd, $0.baseAddress, chunkSize) }
                if written <= 0 { break }
                total += written
            }
        }
        fsync(fd)
        return total
    }

    /// Frees what `fill` took.
    public func free(_ filler: String = "filler") throws {
        try FileManager.default.removeItem(atPath: "\(path)/\(filler)")
    }

    /// Bytes still free on the file system.
    public var availableBytes: Int {
        var stats = statvfs()
        guard statvfs(path, &stats) == 0 else { return -1 }
        return Int(stats.f_bavail) * Int(stats.f_frsize)
    }

    /// Unmounts (lazily if something still holds it) and removes the folder.
    public func unmount() async {
        let result = try? await CommandLineTool.run("umount", [path])
        if result?.status != 0 { _ = try? await CommandLineTool.run("umount", ["-l", path]) }
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Runs `body` with a mounted tmpfs, always unmounting it.
    public static func with<T>(sizeKiB: Int, _ body: (TemporaryMount) async throws -> T) async throws -> T {
        let mount = try await tmpfs(sizeKiB: sizeKiB)
        do {
            let value = try await body(mount)
            await mount.unmount()
            return value
        } catch {
            await mount.unmount()
            throw error
        }
    }
}

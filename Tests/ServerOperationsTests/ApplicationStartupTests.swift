import AnnuaireTestSupport
import DirectoryBackend
import DirectoryServer
import Foundation
import Glibc
import Habilitations
import ServerApplication
import Testing

/// `AnnuaireApplication`'s one clean-up: a start that fails half-way stops
/// what it had started, as the end of a run does.
@Suite("Application: a failed start stops what it started")
struct ApplicationStartupTests {
    /// The processes whose command line names `folder` (slapd runs with `-F <data>/config`).
    static func processes(naming folder: String) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { name -> pid_t? in
            guard let pid = pid_t(name), pid != getpid(),
                let cmdline = FileManager.default.contents(atPath: "/proc/\(name)/cmdline")
            else { return nil }
            return String(decoding: cmdline, as: UTF8.self).contains(folder) ? pid : nil
        }
    }

    @Test("a mail folder that cannot be made, found after slapd started: StartupFailure naming it, and no slapd left on the data folder")
    func failedStartStopsSlapd() async throws {
        let folder = try TestDirectory.makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var settings = ApplicationSettings(
            backend: .embedded(dataDirectory: DataDirectory(path: folder), argon2: TestDirectory.testArgon2),
            server: ServerConfiguration(host: "127.0.0.1", port: 0, suffix: DirectoryLayout().suffix))
        // Checked only once the backend runs: nothing can be created under /proc, even as root.
        settings.mailFolder = URL(fileURLWithPath: "/proc/annuaire-no-such-folder/mail")
        do {
            _ = try await AnnuaireApplication.build(settings, logger: TestDirectory.logger)
            Issue.record("the start succeeded with a mail folder under /proc")
        } catch let failure as StartupFailure {
            #expect(failure.description.contains("cannot use the mail folder /proc/annuaire-no-such-folder/mail"), "\(failure)")
        }
        // slapd had started (its data folder was made) and is stopped again.
        #expect(FileManager.default.fileExists(atPath: DataDirectory(path: folder).configDirectory.path))
        let left = Self.processes(naming: folder)
        #expect(left.isEmpty, "slapd still running: \(left)")
        for pid in left { kill(pid, SIGKILL) }
    }

    @Test("a listener that cannot bind its address (already taken): run() throws ServiceFailure naming it once slapd is stopped, so `annuaire serve` exits with a failure")
    func takenAddressFailsTheRun() async throws {
        let folder = try TestDirectory.makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // A port held by this process for the whole test.
        let holder = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(holder >= 0)
        defer { close(holder) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(holder, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(bound == 0 && listen(holder, 1) == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(holder, $0, &length) }
        }
        let port = Int(UInt16(bigEndian: address.sin_port))
        let settings = ApplicationSettings(
            backend: .embedded(dataDirectory: DataDirectory(path: folder), argon2: TestDirectory.testArgon2),
            server: ServerConfiguration(host: "127.0.0.1", port: port, suffix: DirectoryLayout().suffix))
        let application = try await AnnuaireApplication.build(settings, logger: TestDirectory.logger)
        do {
            try await application.run()
            Issue.record("the run ended without an error although port \(port) was taken")
        } catch let failure as ServiceFailure {
            #expect(failure.description.contains("the server stopped because a service failed"), "\(failure)")
            #expect(failure.description.lowercased().contains("address already in use"), "\(failure)")
        }
        let left = Self.processes(naming: folder)
        #expect(left.isEmpty, "slapd still running: \(left)")
        for pid in left { kill(pid, SIGKILL) }
    }
}

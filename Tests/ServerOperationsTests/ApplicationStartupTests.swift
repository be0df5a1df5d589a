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
}

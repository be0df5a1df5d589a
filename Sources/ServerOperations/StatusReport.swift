public import Foundation
import Glibc
public import Habilitations

/// What `annuaire status` tells an operator about a data folder, read from
/// the outside without disturbing the server: whether an Annuaire holds the
/// folder's lock (from /proc/locks, so nothing is locked by looking), the
/// status file that server keeps, whether its slapd child is alive, the
/// folder's size on disk, the mail jobs waiting in the outbox and the
/// reconciler's last run.
public struct StatusReport: Codable, Sendable {
    public enum State: String, Codable, Sendable {
        /// The server and its slapd run.
        case running
        /// The server runs but its slapd does not (it is being restarted).
        case degraded
        /// No Annuaire holds the folder.
        case stopped
        /// Not a data folder (never initialised).
        case absent
    }

    public var state: State
    public var dataDirectory: String
    public var serverPID: Int32?
    public var server: ServerStatus?
    public var slapdPID: Int32?
    public var slapdRunning: Bool
    public var dataBytes: UInt64
    public var pendingMailJobs: Int
    public var oldestMailJob: Date?
    public var mailOutbox: String
    public var lastReconciliation: ReconcilerRun?

    /// Reads the folder. `mailOutbox` overrides the outbox path when the server is not running to say it.
    public static func inspect(dataDirectory path: String, mailOutbox: String? = nil) -> StatusReport {
        let root = URL(fileURLWithPath: path).standardizedFileURL
        let fileManager = FileManager.default
        let initialized = fileManager.fileExists(atPath: root.appendingPathComponent("initialized").path)
        let lockFile = root.appendingPathComponent("annuaire.lock")
        let holder = Self.lockHolder(of: lockFile)
        var server = holder != nil ? ServerStatus.read(from: ServerStatus.file(in: root)) : nil
        if let status = server, status.pid != holder { server = nil }  // a stale file from an earlier process
        let slapdPID = (try? String(contentsOf: root.appendingPathComponent("run/slapd.pid"), encoding: .utf8))
            .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        let slapdRunning = slapdPID.map { Self.isSlapd(pid: $0, configDirectory: root.appendingPathComponent("config").path) } ?? false
        let outbox = server?.mailOutbox ?? mailOutbox ?? root.appendingPathComponent("mail-outbox").path
        let jobs = Self.mailJobs(in: outbox)
        let state: State = !initialized ? .absent : holder == nil ? .stopped : slapdRunning ? .running : .degraded
        return StatusReport(
            state: state, dataDirectory: root.path, serverPID: holder, server: server, slapdPID: slapdRunning ? slapdPID : nil,
            slapdRunning: slapdRunning, dataBytes: Self.diskUsage(of: root.path), pendingMailJobs: jobs.count,
            oldestMailJob: jobs.oldest, mailOutbox: outbox, lastReconciliation: server?.lastReconciliation)
    }

    /// The pid holding an flock on the file, from /proc/locks (matched by inode), or nil.
    static func lockHolder(of file: URL) -> Int32? {
        var info = stat()
        guard stat(file.path, &info) == 0, let locks = try? String(contentsOfFile: "/proc/locks", encoding: .utf8) else { return nil }
        // "1: FLOCK  ADVISORY  WRITE 4242 08:01:1234567 0 EOF" (the device is major:minor in hex)
        for line in locks.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, fields[1] == "FLOCK", let pid = Int32(fields[4]) else { continue }
            let identity = fields[5].split(separator: ":")
            guard identity.count == 3, let inode = UInt64(identity[2]), inode == UInt64(info.st_ino) else { continue }
            return pid
        }
        return nil
    }

    /// Whether `pid` is a slapd serving this folder's configuration.
    static func isSlapd(pid: Int32, configDirectory: String) -> Bool {
        guard pid > 0, let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
        let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        return arguments.first?.hasSuffix("slapd") == true && arguments.contains(configDirectory)
    }

    /// Bytes the folder's files take on disk (st_blocks, as du(1) counts them).
    static func diskUsage(of path: String) -> UInt64 {
        var total: UInt64 = 0
        var info = stat()
        guard lstat(path, &info) == 0 else { return 0 }
        total += UInt64(info.st_blocks) * 512
        guard info.st_mode & 0o170000 == 0o040000, let children = try? FileManager.default.contentsOfDirectory(atPath: path) else { return total }
        for child in children { total += diskUsage(of: path + "/" + child) }
        return total
    }

    /// The outbox's job files (`<id>.json`) and the oldest one's date.
    static func mailJobs(in folder: String) -> (count: Int, oldest: Date?) {
        guard let files = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return (0, nil) }
        let jobs = files.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }
        let dates = jobs.compactMap { try? FileManager.default.attributesOfItem(atPath: folder + "/" + $0)[.modificationDate] as? Date }
        return (jobs.count, dates.min())
    }

    /// The exit status of `annuaire status` (the LSB's for `status`): 0 running, 1 degraded, 3 stopped, 4 unknown folder.
    public var exitStatus: Int32 {
        switch state {
        case .running: 0
        case .degraded: 1
        case .stopped: 3
        case .absent: 4
        }
    }

    /// The report for a person (French labels; the JSON form has the English keys).
    public func text(now: Date = Date()) -> String {
        var lines: [String] = []
        let stateText = switch state {
        case .running: "en marche"
        case .degraded: "dégradé : slapd ne tourne pas (redémarrage en cours ?)"
        case .stopped: "arrêté"
        case .absent: "aucun dossier de données initialisé ici"
        }
        lines.append("Annuaire           : \(stateText)")
        lines.append("Dossier de données : \(dataDirectory) (\(Self.size(dataBytes)))")
        if let serverPID {
            var detail = "pid \(serverPID)"
            if let server {
                detail += ", version \(server.version), démarré \(Self.age(of: server.startedAt, now: now))"
                if server.readyAt == nil { detail += ", pas encore prêt" }
            }
            lines.append("Serveur            : \(detail)")
            if let server, !server.listeners.isEmpty {
                lines.append("Écoute             : \(server.listeners.joined(separator: ", "))")
            }
        }
        if state != .absent {
            lines.append("slapd              : \(slapdPID.map { "pid \($0), en marche" } ?? "arrêté")")
        }
        var mail = "\(pendingMailJobs) en attente (\(mailOutbox))"
        if let oldestMailJob { mail += ", le plus ancien \(Self.age(of: oldestMailJob, now: now))" }
        lines.append("Courriels          : \(mail)")
        if let run = lastReconciliation {
            let kind = run.kind == .fullPass ? "passe complète" : "échéances"
            let outcome = run.error.map { "échec : \($0)" } ?? "\(run.changedEntries) entrée(s) modifiée(s)"
            lines.append("Réconciliation     : \(kind) \(Self.age(of: run.finishedAt, now: now)), \(outcome)")
        } else if serverPID != nil {
            lines.append("Réconciliation     : pas encore de passe terminée")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return ((try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}") + "\n"
    }

    static func size(_ bytes: UInt64) -> String {
        let units = ["o", "Kio", "Mio", "Gio", "Tio"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) o" : String(format: "%.1f", value) + " " + units[unit]
    }

    static func age(of date: Date, now: Date) -> String {
        let seconds = max(0, Int(now.timeIntervalSince(date)))
        let text = switch seconds {
        case ..<60: "\(seconds) s"
        case ..<3600: "\(seconds / 60) min"
        case ..<86400: "\(seconds / 3600) h \(seconds % 3600 / 60) min"
        default: "\(seconds / 86400) j"
        }
        return "il y a \(text)"
    }
}

public import Foundation
public import Habilitations
import NIOConcurrencyHelpers

/// What a running `annuaire serve` tells about itself in
/// `<data-dir>/run/annuaire-status.json` (0600, replaced atomically), for
/// `annuaire status`: its process, version, listeners, when it became ready,
/// where its mail outbox is, and the reconciler's last run.
public struct ServerStatus: Codable, Sendable, Equatable {
    public var pid: Int32
    public var version: String
    public var startedAt: Date
    public var readyAt: Date?
    public var suffix: String
    /// `ldap://HOST:PORT`, `ldaps://…`, `http://…/metrics`, once they listen.
    public var listeners: [String]
    public var mailOutbox: String
    public var lastReconciliation: ReconcilerRun?

    public init(pid: Int32, version: String, startedAt: Date, suffix: String, mailOutbox: String) {
        self.pid = pid
        self.version = version
        self.startedAt = startedAt
        self.suffix = suffix
        self.listeners = []
        self.mailOutbox = mailOutbox
    }

    /// The file in a data folder.
    public static func file(in dataDirectory: URL) -> URL {
        dataDirectory.appendingPathComponent("run").appendingPathComponent("annuaire-status.json")
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    public static func read(from file: URL) -> ServerStatus? {
        guard let data = try? Data(contentsOf: file) else { return nil }
        return try? decoder.decode(ServerStatus.self, from: data)
    }
}

/// Keeps a running server's `ServerStatus` and rewrites its file at each change.
public final class ServerStatusRecorder: Sendable {
    private let file: URL
    private let status: NIOLockedValueBox<ServerStatus>

    public init(file: URL, initial: ServerStatus) {
        self.file = file
        self.status = NIOLockedValueBox(initial)
        write(initial)
    }

    public var current: ServerStatus { status.withLockedValue { $0 } }

    public func update(_ change: (inout ServerStatus) -> Void) {
        let snapshot = status.withLockedValue { status -> ServerStatus in
            change(&status)
            return status
        }
        write(snapshot)
    }

    /// Removes the file (a stopped server has no status).
    public func remove() {
        try? FileManager.default.removeItem(at: file)
    }

    private func write(_ snapshot: ServerStatus) {
        guard let data = try? ServerStatus.encoder.encode(snapshot) else { return }
        let temporary = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).\(getpid())")
        guard FileManager.default.createFile(atPath: temporary.path, contents: data, attributes: [.posixPermissions: 0o600]) else { return }
        if rename(temporary.path, file.path) != 0 { try? FileManager.default.removeItem(at: temporary) }
    }
}

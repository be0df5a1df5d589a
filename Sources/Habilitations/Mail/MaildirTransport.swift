public import Foundation
import Glibc

/// Delivery into a Maildir (one file per message, `tmp/` then `new/`, the
/// format every mail reader understands): the embedded default, in
/// `<data-dir>/mail`. The folder is 0700 and each message 0600, since a
/// message may carry a temporary password meant for its recipient.
public struct MaildirTransport: MailTransport {
    public let root: URL
    public let from: String

    public init(root: URL, from: String = "Annuaire <no-reply@annuaire.invalid>") throws {
        self.root = root
        self.from = from
        for folder in ["tmp", "new", "cur"] {
            try FileManager.default.createDirectory(
                at: root.appendingPathComponent(folder), withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
    }

    public func send(_ message: MailMessage) async throws {
        var generator = SystemRandomNumberGenerator()
        let unique = "\(Int(message.date.timeIntervalSince1970)).\(getpid())_\(UInt64.random(in: 0...UInt64.max, using: &generator)).annuaire"
        let text = message.rfc5322(from: from, messageID: "\(unique)@annuaire")
        let temporary = root.appendingPathComponent("tmp").appendingPathComponent(unique)
        let final = root.appendingPathComponent("new").appendingPathComponent(unique)
        try await BlockingWork.run {
            guard FileManager.default.createFile(atPath: temporary.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw LDAPMailError("cannot write \(temporary.path)")
            }
            try FileManager.default.moveItem(at: temporary, to: final)
        }
    }

    /// The messages delivered so far (`new/`), oldest first (for tests and tools).
    public func delivered() throws -> [String] {
        let folder = root.appendingPathComponent("new")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        let dated = try names.map { name -> (Date, String) in
            let attributes = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(name).path)
            return ((attributes[.modificationDate] as? Date) ?? .distantPast, name)
        }
        return try dated.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map {
            try String(contentsOf: folder.appendingPathComponent($0.1), encoding: .utf8)
        }
    }
}

/// A mail that could not be delivered.
public struct LDAPMailError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

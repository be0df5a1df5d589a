public import DirectoryBackend
public import Foundation
import Glibc
public import Logging

/// `annuaire restore FILE --data-dir DIR`: a new data folder from a backup.
/// The folder is made by the same code as `annuaire serve`'s first start
/// (`EmbeddedSlapd`: this version's cn=config from `Schema/`, the backup's
/// suffix and argon2 cost), with the backup's entries loaded by slapadd(8)
/// instead of the empty suffix tree; then the TLS certificate and key, the
/// pending mail jobs and the configuration file are put back. The next
/// `annuaire serve` on the folder upgrades nothing it does not need and
/// starts as the backed-up server stood.
public enum DataFolderRestore {
    public struct Target: Sendable {
        public var dataDirectory: DataDirectory
        public var resources: ProjectResources
        /// Where the pending mail jobs go (default `<data-dir>/mail-outbox`).
        public var mailOutbox: URL?

        public init(dataDirectory: DataDirectory, resources: ProjectResources, mailOutbox: URL? = nil) {
            self.dataDirectory = dataDirectory
            self.resources = resources
            self.mailOutbox = mailOutbox
        }
    }

    /// The name the backed-up configuration file gets in the new folder.
    public static let restoredConfigurationName = "annuaire.conf.restored"

    @discardableResult
    public static func restore(_ archive: URL, into target: Target, currentVersion: String, logger: Logger) throws -> BackupManifest {
        let root = target.dataDirectory.root
        let fileManager = FileManager.default
        guard fileManager.fileExists(atPath: archive.path) else { throw BackupError("no backup file \(archive.path)") }
        var isFolder: ObjCBool = false
        let existed = fileManager.fileExists(atPath: root.path, isDirectory: &isFolder)
        if existed {
            guard isFolder.boolValue else { throw BackupError("\(root.path) is a file; restore into a new or empty folder") }
            let contents = try fileManager.contentsOfDirectory(atPath: root.path)
            guard contents.isEmpty else {
                throw BackupError("\(root.path) is not empty (\(contents.count) items): restore into a new or empty folder, then point --data-dir at it")
            }
        }
        try refuseForeignOwner(root)

        let parent = root.deletingLastPathComponent()
        try fileManager.createDirectory(at: parent, withIntermediateDirectories: true)
        let staging = try Staging(in: parent, prefix: ".annuaire-restore")
        defer { staging.remove() }
        try Tar.run(["-xzf", archive.path, "-C", staging.url.path, "--no-same-owner", "--no-same-permissions"])
        let content = staging.url
        let manifest: BackupManifest
        do {
            manifest = try BackupManifest.decoder.decode(BackupManifest.self, from: Data(contentsOf: content.appendingPathComponent(BackupManifest.fileName)))
        } catch {
            throw BackupError("\(archive.path) is not an Annuaire backup (no readable manifest.json: \(error))")
        }
        guard manifest.format <= BackupManifest.currentFormat else {
            throw BackupError(
                "\(archive.path) was made by Annuaire \(manifest.annuaireVersion) in archive format \(manifest.format); this Annuaire (\(currentVersion)) reads format \(BackupManifest.currentFormat) at most: restore it with Annuaire \(manifest.annuaireVersion) or later")
        }
        if DataFolderVersion.compare(manifest.annuaireVersion, currentVersion) == .orderedDescending {
            throw BackupError(
                "\(archive.path) was made by Annuaire \(manifest.annuaireVersion), newer than this one (\(currentVersion)): a downgrade is not supported; restore it with Annuaire \(manifest.annuaireVersion) or later")
        }
        let entries = content.appendingPathComponent("directory.ldif")
        guard fileManager.fileExists(atPath: entries.path) else { throw BackupError("\(archive.path) has no directory.ldif") }

        var configuration = EmbeddedSlapd.Configuration(dataDirectory: target.dataDirectory, suffix: manifest.suffix, resources: target.resources)
        if let argon2 = manifest.argon2 { configuration.argon2 = try Argon2Parameters(parsing: argon2) }
        configuration.initialEntries = entries.path
        do {
            let slapd = try EmbeddedSlapd(configuration: configuration, logger: logger)
            slapd.stop()  // never started: releases the folder's lock
            try DataFolderVersion.record(currentVersion, in: root)
            if manifest.hasTLS {
                let tls = root.appendingPathComponent("tls")
                try fileManager.createDirectory(at: tls, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                for name in ["server.crt", "server.key"] {
                    try DataFolderBackup.copyFile(content.appendingPathComponent("tls").appendingPathComponent(name), to: tls.appendingPathComponent(name))
                }
            }
            let outbox = target.mailOutbox ?? root.appendingPathComponent("mail-outbox")
            try fileManager.createDirectory(at: outbox, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let jobs = content.appendingPathComponent("mail-outbox")
            for name in (try? fileManager.contentsOfDirectory(atPath: jobs.path)) ?? [] where name.hasSuffix(".json") {
                try DataFolderBackup.copyFile(jobs.appendingPathComponent(name), to: outbox.appendingPathComponent(name))
            }
            if manifest.hasConfiguration {
                try DataFolderBackup.copyFile(
                    content.appendingPathComponent("annuaire.conf"), to: root.appendingPathComponent(restoredConfigurationName))
            }
        } catch {
            // Leave nothing half-made: the folder was new or empty.
            if existed {
                for item in (try? fileManager.contentsOfDirectory(atPath: root.path)) ?? [] {
                    try? fileManager.removeItem(at: root.appendingPathComponent(item))
                }
            } else {
                try? fileManager.removeItem(at: root)
            }
            if let error = error as? EmbeddedSlapdError { throw BackupError("could not load the backup: \(error.description)") }
            throw error
        }
        return manifest
    }

    /// The embedded slapd's root is the process's own uid (SASL EXTERNAL over
    /// ldapi): a folder restored as root would not let the `annuaire` user
    /// that serves it manage it. Refused when the parent folder belongs to
    /// another user than the one restoring.
    static func refuseForeignOwner(_ root: URL) throws {
        var folder = root.deletingLastPathComponent()
        var info = stat()
        while stat(folder.path, &info) != 0 {
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return }
            folder = parent
        }
        let me = geteuid()
        guard me == 0, info.st_uid != 0 else { return }
        let owner = getpwuid(info.st_uid).flatMap { $0.pointee.pw_name.map { String(cString: $0) } } ?? "uid \(info.st_uid)"
        throw BackupError(
            "\(folder.path) belongs to \(owner), who runs the server: restore as that user (sudo -u \(owner) annuaire restore …), since slapd's administrator is the uid that made the folder")
    }
}

public import Foundation

/// `manifest.json` at the top of a backup archive: what it holds and what a
/// restore needs to rebuild a data folder around it.
///
/// ```
/// manifest.json        this
/// directory.ldif       the directory (slapcat -n1), operational attributes included
/// slapd-config.ldif    the backed-up folder's cn=config (slapcat -n0), for the record
/// tls/                 server.crt and server.key, when the folder holds a generated certificate
/// mail-outbox/         the mail jobs not yet delivered (<id>.json)
/// annuaire.conf        the server's configuration file, when there was one
/// ```
public struct BackupManifest: Codable, Sendable, Equatable {
    /// The archive layout's version; a restore refuses a newer one.
    public static let currentFormat = 1

    public var format: Int
    /// The Annuaire version that made the backup.
    public var annuaireVersion: String
    public var createdAt: Date
    /// The data database's suffix (olcSuffix).
    public var suffix: String
    /// The argon2 module's parameters in the backed-up folder (`m=…,t=…,p=…`).
    public var argon2: String?
    /// Entries in directory.ldif.
    public var entries: Int
    public var mailJobs: Int
    public var hasTLS: Bool
    public var hasConfiguration: Bool

    public init(
        format: Int, annuaireVersion: String, createdAt: Date, suffix: String, argon2: String?, entries: Int, mailJobs: Int, hasTLS: Bool,
        hasConfiguration: Bool
    ) {
        self.format = format
        self.annuaireVersion = annuaireVersion
        self.createdAt = createdAt
        self.suffix = suffix
        self.argon2 = argon2
        self.entries = entries
        self.mailJobs = mailJobs
        self.hasTLS = hasTLS
        self.hasConfiguration = hasConfiguration
    }

    static let fileName = "manifest.json"

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
}

/// Why a backup or a restore failed, in words that say what to do.
public struct BackupError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

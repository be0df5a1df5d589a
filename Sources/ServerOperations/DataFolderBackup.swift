public import DirectoryBackend
public import Foundation
import Glibc

/// `annuaire backup`: one `.tar.gz` file (mode 0600: it holds password
/// hashes and the TLS key) with everything a restore needs, taken while the
/// server runs. The directory is copied by slapcat in one back-mdb read
/// transaction, so it is the state as of one instant: every write slapd had
/// committed when the copy began is in it, and no half of a transaction. The
/// mail outbox is copied after it, so that no job for a write in the copy is
/// missed (a job for a later write may come along; its mail then goes to
/// whoever the restored directory names, or is dropped if nobody).
public enum DataFolderBackup {
    public struct Sources: Sendable {
        public var dataDirectory: DataDirectory
        /// The mail outbox (default `<data-dir>/mail-outbox`).
        public var mailOutbox: URL?
        /// The server's configuration file, copied as it is.
        public var configurationFile: URL?
        public var slapcatPath = "/usr/sbin/slapcat"

        public init(dataDirectory: DataDirectory, mailOutbox: URL? = nil, configurationFile: URL? = nil) {
            self.dataDirectory = dataDirectory
            self.mailOutbox = mailOutbox
            self.configurationFile = configurationFile
        }
    }

    /// Writes the archive to `output` (replaced atomically); returns its manifest.
    @discardableResult
    public static func create(from sources: Sources, to output: URL, version: String, now: Date = Date()) throws -> BackupManifest {
        let directory = sources.dataDirectory
        guard directory.isInitialized else {
            throw BackupError("\(directory.root.path) is not an Annuaire data folder (no initialized file); give the server's --data-dir")
        }
        let outputFolder = output.deletingLastPathComponent()
        let staging = try Staging(in: outputFolder, prefix: ".annuaire-backup")
        defer { staging.remove() }
        let content = staging.url.appendingPathComponent("content")
        try FileManager.default.createDirectory(at: content, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])

        let entriesFile = content.appendingPathComponent("directory.ldif")
        let configFile = content.appendingPathComponent("slapd-config.ldif")
        do {
            try directory.export(database: 1, to: entriesFile, slapcatPath: sources.slapcatPath)
            try directory.export(database: 0, to: configFile, slapcatPath: sources.slapcatPath)
        } catch let error as EmbeddedSlapdError {
            throw BackupError("could not copy the directory: \(error.description)")
        }
        let configText = try String(contentsOf: configFile, encoding: .utf8)
        guard let suffix = SlapdConfigText.value(of: "olcSuffix", in: configText) else {
            throw BackupError("the data folder's cn=config has no olcSuffix: it is not a folder made by annuaire serve")
        }

        var hasTLS = false
        let tls = directory.root.appendingPathComponent("tls")
        if FileManager.default.fileExists(atPath: tls.appendingPathComponent("server.key").path) {
            let copy = content.appendingPathComponent("tls")
            try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            for name in ["server.crt", "server.key"] {
                try copyFile(tls.appendingPathComponent(name), to: copy.appendingPathComponent(name))
            }
            hasTLS = true
        }

        let outbox = sources.mailOutbox ?? directory.root.appendingPathComponent("mail-outbox")
        let outboxCopy = content.appendingPathComponent("mail-outbox")
        try FileManager.default.createDirectory(at: outboxCopy, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        var mailJobs = 0
        for name in (try? FileManager.default.contentsOfDirectory(atPath: outbox.path)) ?? [] where name.hasSuffix(".json") && !name.hasPrefix(".") {
            // A job delivered (and removed) since the listing is simply not copied.
            if (try? copyFile(outbox.appendingPathComponent(name), to: outboxCopy.appendingPathComponent(name))) != nil { mailJobs += 1 }
        }

        var hasConfiguration = false
        if let configuration = sources.configurationFile {
            do {
                try copyFile(configuration, to: content.appendingPathComponent("annuaire.conf"))
            } catch {
                throw BackupError("cannot read the configuration file \(configuration.path): \(error.localizedDescription)")
            }
            hasConfiguration = true
        }

        let manifest = BackupManifest(
            format: BackupManifest.currentFormat, annuaireVersion: version,
            createdAt: Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down)),  // as manifest.json keeps it
            suffix: suffix,
            argon2: SlapdConfigText.argon2Parameters(in: configText), entries: try countEntries(in: entriesFile),
            mailJobs: mailJobs, hasTLS: hasTLS, hasConfiguration: hasConfiguration)
        try BackupManifest.encoder.encode(manifest).write(to: content.appendingPathComponent(BackupManifest.fileName))

        let archive = staging.url.appendingPathComponent("archive.tar.gz")
        try Tar.run(["-czf", archive.path, "-C", content.path, "."])
        chmod(archive.path, 0o600)
        guard rename(archive.path, output.path) == 0 else {
            throw BackupError("cannot write \(output.path): \(String(cString: strerror(errno)))")
        }
        return manifest
    }

    /// Entries in an LDIF file: its `dn:` lines (read in blocks, the file may be large).
    static func countEntries(in file: URL) throws -> Int {
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        var count = 0
        var atLineStart = true
        var matched = 0  // bytes of "dn:" matched at a line's start
        let pattern = Array("dn:".utf8)
        while let block = try handle.read(upToCount: 1 << 20), !block.isEmpty {
            for byte in block {
                if atLineStart || matched > 0 {
                    if byte == pattern[matched] {
                        matched += 1
                        if matched == pattern.count {
                            count += 1
                            matched = 0
                        }
                    } else {
                        matched = 0
                    }
                }
                atLineStart = byte == UInt8(ascii: "\n")
            }
        }
        return count
    }

    static func copyFile(_ source: URL, to destination: URL) throws {
        let data = try Data(contentsOf: source)
        guard FileManager.default.createFile(atPath: destination.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw BackupError("cannot write \(destination.path)")
        }
    }
}

/// Values read from slapd's cn=config LDIF (slapcat -n0): plain `type: value` lines.
enum SlapdConfigText {
    static func value(of type: String, in text: String) -> String? {
        for line in text.split(separator: "\n") {
            if line.hasPrefix("\(type): ") { return String(line.dropFirst(type.count + 2)) }
            if line.hasPrefix("\(type):: "), let data = Data(base64Encoded: String(line.dropFirst(type.count + 3))) {
                return String(decoding: data, as: UTF8.self)
            }
        }
        return nil
    }

    /// `m=…,t=…,p=…` from `olcModuleLoad: {2}argon2 m=19456 t=2 p=1`.
    static func argon2Parameters(in text: String) -> String? {
        for line in text.split(separator: "\n") where line.hasPrefix("olcModuleLoad: ") && line.contains("}argon2") {
            let words = line.split(separator: " ").dropFirst(2)
            return words.isEmpty ? nil : words.joined(separator: ",")
        }
        return nil
    }
}

/// A private (0700) temporary folder beside the output, removed at the end.
struct Staging {
    let url: URL

    init(in folder: URL, prefix: String) throws {
        var template = Array("\(folder.path)/\(prefix).XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer -> String? in
            guard let base = buffer.baseAddress, let path = mkdtemp(base) else { return nil }
            return String(cString: path)
        }
        guard let created else {
            throw BackupError("cannot create a temporary folder in \(folder.path): \(String(cString: strerror(errno)))")
        }
        url = URL(fileURLWithPath: created)
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// GNU tar(1), which Debian always has: gzip-compressed archives.
enum Tar {
    static func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["tar"] + arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BackupError("tar \(arguments.first ?? "") failed: \(String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }
}

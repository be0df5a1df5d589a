public import Foundation

/// A data folder's databases as LDIF, by slapcat(8), for `annuaire backup`.
/// With back-mdb, slapcat reads in one MDB read transaction beside a running
/// slapd: the copy is consistent (a snapshot as of its start) and slapd goes
/// on serving; the entries keep their operational attributes (entryUUID,
/// entryCSN, timestamps, password policy state), which slapadd(8) loads back.
extension DataDirectory {
    /// Writes database `number` (0: cn=config, 1: the directory) to `file`.
    public func export(database number: Int, to file: URL, slapcatPath: String = "/usr/sbin/slapcat") throws {
        guard access(slapcatPath, X_OK) == 0 else {
            throw EmbeddedSlapdError("\(slapcatPath) is not installed: install Debian's slapd package")
        }
        guard isInitialized else {
            throw EmbeddedSlapdError("\(root.path) is not an initialised data folder (no \(initializedMarker.lastPathComponent) file)")
        }
        try ChildProcess.run(slapcatPath, ["-F", configDirectory.path, "-n", "\(number)", "-l", file.path], logPath: slapdLog.path)
    }
}

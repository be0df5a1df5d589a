import AnnuaireCLI
import ArgumentParser
import DirectoryServer
import Foundation
import ServerOperations

/// `annuaire backup --out FILE`: a consistent copy of a data folder, taken
/// while the server runs (see `DataFolderBackup`).
struct BackupCommand: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "backup",
        abstract: AnnuaireCLI.abstract(of: .backup),
        discussion: """
            The archive (.tar.gz, mode 0600) holds the directory as slapcat copies it in one \
            read transaction (every write committed before the copy began), the generated TLS \
            certificate and key, the mail jobs not yet delivered and the configuration file. \
            Run it as the user that runs the server (sudo -u annuaire annuaire backup …). \
            Restore it with annuaire restore.
            """
    ) }

    @Option(help: "The archive to write (replaced atomically).")
    var out: String

    @Option(help: "The server's configuration file (its data-dir and maildir are used, and it is copied into the archive).")
    var config: String?

    @Option(help: "The server's data folder (default: the configuration's, else ./annuaire-data).")
    var dataDir: String?

    @Option(help: "The server's --maildir, when it has one (its outbox is <maildir>-outbox).")
    var maildir: String?

    func run() throws {
        let folders = try ServerFolders.resolve(
            config: config, overrides: (dataDir.map { ["--data-dir", $0] } ?? []) + (maildir.map { ["--maildir", $0] } ?? []))
        let output = URL(fileURLWithPath: out).standardizedFileURL
        do {
            let manifest = try DataFolderBackup.create(
                from: .init(dataDirectory: folders.dataDirectory, mailOutbox: folders.mailOutbox, configurationFile: folders.configurationFile),
                to: output, version: AnnuaireVersion.current)
            print(
                "Sauvegarde écrite : \(output.path) (\(manifest.entries) entrées, \(manifest.mailJobs) courriel(s) en attente\(manifest.hasTLS ? ", certificat TLS" : "")\(manifest.hasConfiguration ? ", configuration" : ""))"
            )
        } catch let error as BackupError {
            throw ValidationError(error.description)
        }
    }
}

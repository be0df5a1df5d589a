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
        discussion: AnnuaireCLI.text(.discussionBackup)
    ) }

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpBackupOut)))
    var out: String

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpBackupConfig)))
    var config: String?

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpServerDataFolder)))
    var dataDir: String?

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpBackupMaildir)))
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

import AnnuaireCLI
import ArgumentParser
import DirectoryBackend
import DirectoryServer
import Foundation
import Logging
import ServerOperations

/// `annuaire restore FILE --data-dir DIR`: a new data folder from a backup
/// (see `DataFolderRestore`); `annuaire serve --data-dir DIR` then starts on it.
struct RestoreCommand: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "restore",
        abstract: AnnuaireCLI.abstract(of: .restore),
        discussion: AnnuaireCLI.text(.discussionRestore)
    ) }

    @Argument(help: ArgumentHelp(AnnuaireCLI.text(.helpRestoreFile)))
    var file: String

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpRestoreDataDir)))
    var dataDir: String

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpRestoreMaildir)))
    var maildir: String?

    func run() throws {
        let data = DataDirectory(path: dataDir)
        let outbox = maildir.map { URL(fileURLWithPath: $0) }.map {
            $0.deletingLastPathComponent().appendingPathComponent($0.lastPathComponent + "-outbox")
        }
        var logger = Logger(label: "annuaire.restore")
        logger.logLevel = .warning
        do {
            let resources = try ProjectResources.locate()
            let manifest = try DataFolderRestore.restore(
                URL(fileURLWithPath: file), into: .init(dataDirectory: data, resources: resources, mailOutbox: outbox),
                currentVersion: AnnuaireVersion.current, logger: logger)
            var lines = [
                "Dossier restauré : \(data.root.path) (\(manifest.entries) entrées, sauvegarde du \(ISO8601DateFormatter().string(from: manifest.createdAt)) par Annuaire \(manifest.annuaireVersion), suffixe \(manifest.suffix))"
            ]
            if manifest.hasConfiguration {
                lines.append("La configuration sauvegardée est dans \(data.root.appendingPathComponent(DataFolderRestore.restoredConfigurationName).path) : comparez-la avec la vôtre.")
            }
            lines.append("Démarrez le serveur dessus : annuaire serve --data-dir \(data.root.path) --suffix '\(manifest.suffix)'")
            print(lines.joined(separator: "\n"))
        } catch let error as BackupError {
            throw ValidationError(error.description)
        } catch let error as EmbeddedSlapdError {
            throw ValidationError(error.description)
        }
    }
}

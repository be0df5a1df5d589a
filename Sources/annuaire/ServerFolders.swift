import ArgumentParser
import DirectoryBackend
import Foundation
import ServerApplication
import ServerOperations

/// The folders a configured `annuaire serve` uses, worked out the way it
/// does (configuration file, environment, then the given options), for the
/// commands that act on a server's data from the outside: backup, restore, status.
struct ServerFolders {
    var dataDirectory: DataDirectory
    /// `<maildir>-outbox`, the maildir being `--maildir` or `<data-dir>/mail`.
    var mailOutbox: URL
    /// The configuration file read, if any.
    var configurationFile: URL?

    /// `overrides` are serve options given on this command's line (`--data-dir X`).
    static func resolve(config: String?, overrides: [String]) throws -> ServerFolders {
        let settings = try ServeSettings.resolve(
            commandLine: (config.map { ["--config", $0] } ?? []) + overrides, environment: ProcessInfo.processInfo.environment,
            options: ServeSettings.options(of: ServeCommand.self),
            defaultFile: InstallationLayout.ofRunningProgram()?.configurationFile.path)
        let serve: ServeCommand
        do {
            serve = try ServeCommand.parse(settings.arguments)
        } catch {
            let message = ServeCommand.message(for: error)
            throw ValidationError(settings.origin(of: message).map { "\($0): \(message)" } ?? message)
        }
        let data = DataDirectory(path: serve.dataDir)
        let mail = serve.maildir.map { URL(fileURLWithPath: $0) } ?? data.root.appendingPathComponent("mail")
        return ServerFolders(
            dataDirectory: data,
            mailOutbox: ApplicationSettings.outboxFolder(ofMailFolder: mail),
            configurationFile: settings.file.map { URL(fileURLWithPath: $0) })
    }
}

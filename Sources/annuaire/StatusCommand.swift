import AnnuaireCLI
import ArgumentParser
import Foundation
import ServerOperations

/// `annuaire status`: what runs on a data folder, for an operator (see `StatusReport`).
struct StatusCommand: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "status",
        abstract: AnnuaireCLI.abstract(of: .status),
        discussion: "Exit status as for an init script's status: 0 running, 1 running without slapd (being restarted), 3 stopped, 4 no data folder there."
    ) }

    @Option(help: "The server's configuration file (its data-dir and maildir are used).")
    var config: String?

    @Option(help: "The server's data folder (default: the configuration's, else ./annuaire-data).")
    var dataDir: String?

    @Option(help: "The server's --maildir, when it has one.")
    var maildir: String?

    enum ReportFormat: String, ExpressibleByArgument {
        case text, json
    }

    @Option(help: "text (French) or json (English keys).")
    var format: ReportFormat = .text

    func run() throws {
        let folders = try ServerFolders.resolve(
            config: config, overrides: (dataDir.map { ["--data-dir", $0] } ?? []) + (maildir.map { ["--maildir", $0] } ?? []))
        let report = StatusReport.inspect(dataDirectory: folders.dataDirectory.root.path, mailOutbox: folders.mailOutbox.path)
        print(format == .json ? report.json() : report.text(), terminator: "")
        if report.exitStatus != 0 { throw ExitCode(report.exitStatus) }
    }
}

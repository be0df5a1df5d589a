import AnnuaireCLI
import ArgumentParser
import Foundation
import ServerOperations

/// `annuaire status`: what runs on a data folder, for an operator (see `StatusReport`).
struct StatusCommand: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "status",
        abstract: AnnuaireCLI.abstract(of: .status),
        discussion: AnnuaireCLI.text(.discussionStatus)
    ) }

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpStatusConfig)))
    var config: String?

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpServerDataFolder)))
    var dataDir: String?

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpStatusMaildir)))
    var maildir: String?

    enum ReportFormat: String, ExpressibleByArgument {
        case text, json
    }

    @Option(help: ArgumentHelp(AnnuaireCLI.text(.helpStatusFormat)))
    var format: ReportFormat = .text

    func run() throws {
        let folders = try ServerFolders.resolve(
            config: config, overrides: (dataDir.map { ["--data-dir", $0] } ?? []) + (maildir.map { ["--maildir", $0] } ?? []))
        let report = StatusReport.inspect(dataDirectory: folders.dataDirectory.root.path, mailOutbox: folders.mailOutbox.path)
        print(format == .json ? report.json() : report.text(), terminator: "")
        if report.exitStatus != 0 { throw ExitCode(report.exitStatus) }
    }
}

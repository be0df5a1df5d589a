import ArgumentParser
import Messages

/// The flags every import takes: the file, a dry run, what to do with bad
/// lines, where to start again, and the report's format.
struct ImportOptions: ParsableArguments {
    @Argument(help: ArgumentHelp(CLIContext.texts.text(.helpOptionCSVFile)))
    var file: String

    @Flag(help: ArgumentHelp(CLIContext.texts.text(.helpOptionDryRun)))
    var dryRun = false

    @Flag(help: ArgumentHelp(CLIContext.texts.text(.helpOptionPartial)))
    var keepGoing = false

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionFromLine)))
    var fromLine: Int = 2

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionFormatReport)))
    var format: OutputFormat = .table

    func validate() throws {
        if format == .ldif { throw ValidationError(CLIContext.texts.text(.errorImportFormat)) }
        if fromLine < 2 { throw ValidationError(CLIContext.texts.text(.errorFromLine)) }
    }
}

/// Reporting the broken rules of an import, the same way for users and groups.
enum ImportReport {
    /// A dry run: the issues on standard output; exit 65 if there are any.
    static func dryRun(_ issues: [ImportIssue], checked: Int, what: String, options: ImportOptions, context: CLIContext) throws {
        let sorted = issues.sorted { ($0.line, $0.field) < ($1.line, $1.field) }
        if sorted.isEmpty {
            if options.format == .table {
                context.print(context.catalogue(.importDryRunClean, ("checked", "\(checked)")))
            } else {
                context.print(RecordRenderer.list([], format: options.format, emptyFields: ImportIssue.emptyFields))
            }
            return
        }
        context.print(RecordRenderer.list(sorted.map(\.record), format: options.format, emptyFields: ImportIssue.emptyFields))
        throw CLIError(context.catalogue(.importDryRunIssues, ("summary", summary(sorted, checked: checked, what: what))), status: .ruleViolation)
    }

    /// Before a real import: with broken rules and no --keep-going, report them on standard error and create nothing.
    static func refuse(_ issues: [ImportIssue], checked: Int, what: String, context: CLIContext) throws {
        let sorted = issues.sorted { ($0.line, $0.field) < ($1.line, $1.field) }
        for issue in sorted { context.errorOutput.write(context.catalogue(.importRuleBroken, ("issue", issue.sentence)) + "\n") }
        throw CLIError(context.catalogue(.importRefused, ("summary", summary(sorted, checked: checked, what: what))), status: .ruleViolation)
    }

    static func summary(_ issues: [ImportIssue], checked: Int, what: String) -> String {
        let lines = Set(issues.map(\.line)).sorted()
        let shown = lines.prefix(20).map(String.init).joined(separator: ", ") + (lines.count > 20 ? ", …" : "")
        return CLIContext.texts(lines.count == 1 ? .importSummaryOne : .importSummary, ("broken", "\(lines.count)"), ("checked", "\(checked)"), ("lines", shown))
    }
}

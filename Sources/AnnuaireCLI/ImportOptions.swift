import ArgumentParser

/// The flags every import takes: the file, a dry run, what to do with bad
/// lines, where to start again, and the report's format.
struct ImportOptions: ParsableArguments {
    @Argument(help: "The CSV file: a header line naming the columns, then one record a line (',' or ';' separated).")
    var file: String

    @Flag(help: "Check every line against the rules (locally, then on the server) and report; create nothing.")
    var dryRun = false

    @Flag(help: "Create the good lines even when others break a rule (default: all or nothing).")
    var keepGoing = false

    @Option(help: "Start at this line of the file (to go on after an interrupted import).")
    var fromLine: Int = 2

    @Option(help: "Output format of the report and of the created entries: table, json, csv.")
    var format: OutputFormat = .table

    func validate() throws {
        if format == .ldif { throw ValidationError("an import reports as table, json or csv") }
        if fromLine < 2 { throw ValidationError("--from-line counts from the first record: line 2 (line 1 is the header)") }
    }
}

/// Reporting the broken rules of an import, the same way for users and groups.
enum ImportReport {
    /// A dry run: the issues on standard output; exit 65 if there are any.
    static func dryRun(_ issues: [ImportIssue], checked: Int, what: String, options: ImportOptions, context: CLIContext) throws {
        let sorted = issues.sorted { ($0.line, $0.field) < ($1.line, $1.field) }
        if sorted.isEmpty {
            if options.format == .table {
                context.print("Dry run: \(checked) \(what) checked, no rule broken; nothing was created.")
            } else {
                context.print(RecordRenderer.list([], format: options.format, emptyFields: ImportIssue.emptyFields))
            }
            return
        }
        context.print(RecordRenderer.list(sorted.map(\.record), format: options.format, emptyFields: ImportIssue.emptyFields))
        throw CLIError(summary(sorted, checked: checked, what: what) + "; nothing was created (dry run)", status: .ruleViolation)
    }

    /// Before a real import: with broken rules and no --keep-going, report them on standard error and create nothing.
    static func refuse(_ issues: [ImportIssue], checked: Int, what: String, context: CLIContext) throws {
        let sorted = issues.sorted { ($0.line, $0.field) < ($1.line, $1.field) }
        for issue in sorted { context.errorOutput.write("annuaire: rule broken: \(issue.sentence)\n") }
        throw CLIError(
            summary(sorted, checked: checked, what: what) + "; nothing was created: fix these lines (or pass --keep-going to create the others)",
            status: .ruleViolation)
    }

    static func summary(_ issues: [ImportIssue], checked: Int, what: String) -> String {
        let lines = Set(issues.map(\.line)).sorted()
        let shown = lines.prefix(20).map(String.init).joined(separator: ", ") + (lines.count > 20 ? ", …" : "")
        return "\(lines.count) of \(checked) \(what) break a rule (line\(lines.count == 1 ? "" : "s") \(shown))"
    }
}

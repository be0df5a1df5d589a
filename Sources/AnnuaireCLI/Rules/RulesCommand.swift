import ArgumentParser
import LibLDAP
import Messages
import Habilitations

/// `annuaire rules`: R10, the usage rules and the legal warning as the
/// server holds them, read without binding.
struct RulesCommand: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "rules",
        abstract: CLIContext.texts.text(.helpRules),
        discussion: """
            \(CLIContext.texts.text(.helpDiscussRules))

            \(CLIContext.texts.text(.helpExample)) annuaire rules

            \(AnnuaireCLI.commonDiscussion)
            """
    ) }

    @OptionGroup var connection: ConnectionOptions

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionFormatText)))
    var format: OutputFormat = .table

    func validate() throws {
        if format == .csv || format == .ldif { throw ValidationError(CLIContext.texts.text(.errorRulesFormat)) }
    }

    func run() throws {
        var context = CLIContext.current
        context.languageFlag = connection.language ?? context.languageFlag
        context.csvStyleFlag = connection.csvStyle?.rawValue ?? context.csvStyleFlag
        do {
            let settings = ConnectionSettings(connection, context: context)
            if let file = settings.caCertificateFile, !FileChecks.isReadable(file) {
                throw CLIError(context.catalogue(.errorCACertUnreadable, ("file", file)), status: .ioError)
            }
            let client = try DirectoryClient(uri: settings.uri, tls: settings.tls, caCertificateFile: settings.caCertificateFile)
            defer { client.close() }
            guard let text = try UsageRulesText.read(client, base: settings.base) else {
                throw CLIError.notFound(context.catalogue(.errorNoUsageRules, ("base", settings.base)))
            }
            // Issue #16, item 7: the help desk, when the operator configured it.
            let helpDesk = try? client.read(DirectoryLayout(suffix: settings.base).helpDesk, attributes: ["telephoneNumber", "mail", "description"])
            if format == .json {
                var fields: [Record.Field] = [.init("rules", context.catalogue.text(.headerUsageRules), text.rules), .init("legalWarning", context.catalogue.text(.headerLegalWarning), text.legalWarning)]
                if let helpDesk {
                    fields.append(.init("helpDesk", context.catalogue.text(.helpDeskTitle), HelpDeskText.line(helpDesk, catalogue: context.catalogue)))
                }
                context.print(RecordRenderer.detail(Record(fields: fields), format: .json))
            } else {
                context.print(text.display)
                if let helpDesk { context.print(HelpDeskText.line(helpDesk, catalogue: context.catalogue)) }
            }
        } catch {
            let failure = CLIError(error, catalogue: context.catalogue)
            context.errorOutput.write(context.catalogue.text(.errorPrefix) + failure.message + "\n")
            throw failure.status.exitCode
        }
    }
}

import ArgumentParser
import DirectoryBackend
import Messages
import Habilitations

/// `annuaire rules`: R10, the usage rules and the legal warning as the
/// server holds them, read without binding.
struct RulesCommand: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "rules",
        abstract: CLIContext.texts.text(.helpRules),
        discussion: """
            The texts live in the directory (cn=usage-rules and cn=legal-warning under ou=policies; the operator \
            changes them with an ordinary modify). Every command also shows them once, at an account's first login \
            from this machine (remembered in ~/.config/annuaire/acknowledged-rules).

            Example: annuaire rules

            \(AnnuaireCLI.commonDiscussion)
            """
    ) }

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Output format: table (the text), json.")
    var format: OutputFormat = .table

    func validate() throws {
        if format == .csv || format == .ldif { throw ValidationError("the rules are shown as table (text) or json") }
    }

    func run() throws {
        var context = CLIContext.current
        context.languageFlag = connection.language ?? context.languageFlag
        context.csvStyleFlag = connection.csvStyle?.rawValue ?? context.csvStyleFlag
        do {
            let settings = ConnectionSettings(connection, context: context)
            if let file = settings.caCertificateFile, !FileChecks.isReadable(file) {
                throw CLIError("cannot read the CA certificate file \(file)", status: .ioError)
            }
            let client = try DirectoryClient(uri: settings.uri, tls: settings.tls, caCertificateFile: settings.caCertificateFile)
            defer { client.close() }
            guard let text = try UsageRulesText.read(client, base: settings.base) else {
                throw CLIError.notFound("the server holds no usage rules under ou=policies,\(settings.base)")
            }
            // Issue #16, item 7: the help desk, when the operator configured it.
            let helpDesk = try? client.read(HelpDesk.dn(DirectoryLayout(suffix: settings.base)), attributes: ["telephoneNumber", "mail", "description"])
            if format == .json {
                var fields: [Record.Field] = [.init("rules", "Règles d'usage", text.rules), .init("legalWarning", "Avertissement", text.legalWarning)]
                if let helpDesk {
                    fields.append(.init("helpDesk", "Centre de Services", HelpDeskText.line(helpDesk, catalogue: context.catalogue)))
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

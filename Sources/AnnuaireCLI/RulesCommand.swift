import ArgumentParser
import DirectoryBackend

/// `annuaire rules`: R10, the usage rules and the legal warning as the
/// server holds them, read without binding.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Show the usage rules and the legal warning (R10); no bind, no password.",
        discussion: """
            The texts live in the directory (cn=usage-rules and cn=legal-warning under ou=policies; the operator \
            changes them with an ordinary modify). Every command also shows them once, at an account's first login \
            from this machine (remembered in ~/.config/annuaire/acknowledged-rules).

            Example: annuaire rules

            \(AnnuaireCLI.commonDiscussion)
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Output format: table (the text), json.")
    var format: OutputFormat = .table

    func validate() throws {
        if format == .csv || format == .ldif { throw ValidationError("the rules are shown as table (text) or json") }
    }

    func run() throws {
        let context = CLIContext.current
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
            if format == .json {
                context.print(RecordRenderer.detail(Record(fields: [
                    .init("rules", "Règles d'usage", text.rules), .init("legalWarning", "Avertissement", text.legalWarning),
                ]), format: .json))
            } else {
                context.print(text.display)
            }
        } catch {
            let failure = CLIError(error)
            context.errorOutput.write("annuaire: error: \(failure.message)\n")
            throw failure.status.exitCode
        }
    }
}

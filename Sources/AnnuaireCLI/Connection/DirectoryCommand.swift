import ArgumentParser
import Messages

/// A subcommand that talks to the server: it connects and binds with the
/// `ConnectionOptions`, runs `execute`, and turns any failure into a message
/// on standard error and an `ExitStatus`.
protocol DirectoryCommand: ParsableCommand {
    var connection: ConnectionOptions { get }
    func execute(_ session: DirectorySession, _ context: CLIContext) throws
}

extension DirectoryCommand {
    func run() throws {
        var context = CLIContext.current
        context.languageFlag = connection.language ?? context.languageFlag
        context.csvStyleFlag = connection.csvStyle?.rawValue ?? context.csvStyleFlag
        try CLIContext.$current.withValue(context) { try run(in: context) }
    }

    private func run(in context: CLIContext) throws {
        let catalogue = context.catalogue
        do {
            let session = try DirectorySession.open(connection, context: context)
            defer { session.client.close() }
            try execute(session, context)
        } catch {
            let failure = CLIError(error, catalogue: catalogue)
            context.errorOutput.write(catalogue.text(.errorPrefix) + failure.message + "\n")
            throw failure.status.exitCode
        }
    }
}

extension CLIContext {
    /// Writes `text` to standard output, ending it with a newline if it has none.
    func print(_ text: String) {
        output.write(text.utf8.last == UInt8(ascii: "\n") ? text : text + "\n")
    }
}

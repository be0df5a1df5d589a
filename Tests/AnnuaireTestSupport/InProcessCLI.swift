import AnnuaireCLI
import ArgumentParser
import Foundation

/// Runs `annuaire` administrator commands in-process, as the executable
/// registers them, on a thread of their own (the commands block on libldap,
/// and the server they talk to needs Swift's cooperative threads), with the
/// output captured and the environment injected.
public enum InProcessCLI {
    /// What one run produced.
    public struct Result: Sendable {
        public var status: Int32
        public var output: String
        public var error: String
    }

    /// The administrators' commands under a root named `annuaire`.
    struct Root: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "annuaire", abstract: AnnuaireCLI.rootAbstract, subcommands: AnnuaireCLI.commands)
        }
    }

    public static func run(_ arguments: [String], environment: [String: String]) async -> Result {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: runBlocking(arguments, environment: environment)) }
        }
    }

    private static func runBlocking(_ arguments: [String], environment: [String: String]) -> Result {
        let output = CapturedOutput()
        let errorOutput = CapturedOutput()
        let context = CLIContext(
            output: output, errorOutput: errorOutput, environment: environment, configurationFiles: [], promptPassword: { _ in nil })
        var status: Int32 = 0
        CLIContext.$current.withValue(context) {
            do {
                var command = try Root.parseAsRoot(arguments)
                try command.run()
            } catch {
                status = Root.exitCode(for: error).rawValue
                if !(error is ExitCode) { errorOutput.write(Root.fullMessage(for: error) + "\n") }
            }
        }
        return Result(status: status, output: output.text, error: errorOutput.text)
    }
}

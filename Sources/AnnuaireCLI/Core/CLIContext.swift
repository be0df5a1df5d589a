import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a command reads from and writes to its surroundings: output sinks,
/// the environment, the ldap.conf(5) files and the password prompt. The
/// process's own by default; tests bind another with
/// `CLIContext.$current.withValue(…)` and run commands in-process.
public struct CLIContext: Sendable {
    public var output: any OutputSink
    public var errorOutput: any OutputSink
    public var environment: [String: String]
    /// ldap.conf(5)-style files read for defaults, lowest precedence first.
    public var configurationFiles: [String]
    /// Asks for the password without echo; nil when there is no terminal.
    public var promptPassword: @Sendable (_ prompt: String) -> String?
    /// Whether standard error is a terminal: long imports show their progress there.
    public var showsProgress: Bool
    /// `--lang` as given on the command line (nil: from the environment).
    public var languageFlag: String?
    /// `--csv-style` as given on the command line (nil: from the language).
    public var csvStyleFlag: String?

    public init(
        output: any OutputSink, errorOutput: any OutputSink, environment: [String: String],
        configurationFiles: [String], promptPassword: @escaping @Sendable (_ prompt: String) -> String?,
        showsProgress: Bool = false
    ) {
        self.output = output
        self.errorOutput = errorOutput
        self.environment = environment
        self.configurationFiles = configurationFiles
        self.promptPassword = promptPassword
        self.showsProgress = showsProgress
    }

    /// The process's streams, environment, ldap.conf files and terminal.
    public static var process: CLIContext {
        let environment = ProcessInfo.processInfo.environment
        return CLIContext(
            output: StandardStreamSink.output, errorOutput: StandardStreamSink.error, environment: environment,
            configurationFiles: LDAPConfigurationFile.standardPaths(environment: environment),
            promptPassword: { TerminalPassword.read(prompt: $0) }, showsProgress: TerminalPassword.isTerminal(STDERR_FILENO))
    }

    /// The context commands run in.
    @TaskLocal public static var current: CLIContext = .process
}

public import ArgumentParser

/// The exit codes of the administrators' commands, sysexits(3)-style, so that
/// scripts can tell a typo from a broken rule, a refusal or a network problem.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    case success = 0
    /// EX_USAGE: bad flags or arguments (also the parser's own validation errors).
    case usage = 64
    /// EX_DATAERR: the server refused the data: a rule R1–R11 (constraintViolation 19),
    /// the schema (objectClassViolation 65, invalidAttributeSyntax 21, …), an existing entry (68).
    case ruleViolation = 65
    /// EX_NOINPUT: the entry named does not exist or is not visible to you (noSuchObject 32).
    case notFound = 66
    /// EX_NOUSER: the bind failed (invalidCredentials 49: wrong password, unknown or closed account).
    case authenticationFailure = 67
    /// EX_UNAVAILABLE: the server could not be reached, TLS failed, or it is busy/unavailable (51, 52).
    case connectionFailure = 69
    /// EX_SOFTWARE: any other error reported by the server.
    case serverError = 70
    /// EX_IOERR: a local file (password file, CA certificate) could not be read.
    case ioError = 74
    /// EX_NOPERM: the server refused access (insufficientAccessRights 50, confidentialityRequired 13, …).
    case accessRefused = 77

    /// The `ExitCode` ArgumentParser exits with.
    public var exitCode: ExitCode { ExitCode(rawValue) }
}

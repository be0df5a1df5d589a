import LibLDAP
import LDAPProtocol
import Messages

/// A failure as the user sees it: a message saying what went wrong and what
/// to do, and the exit status scripts test.
struct CLIError: Error, CustomStringConvertible {
    var message: String
    var status: ExitStatus

    init(_ message: String, status: ExitStatus) {
        self.message = message
        self.status = status
    }

    var description: String { message }

    static func usage(_ message: String) -> CLIError { CLIError(message, status: .usage) }
    static func notFound(_ message: String) -> CLIError { CLIError(message, status: .notFound) }

    /// Classifies any error thrown while talking to the server, in the run's language.
    init(_ error: any Error) {
        self.init(error, catalogue: CLIContext.texts)
    }

    init(_ error: any Error, catalogue: Catalogue) {
        switch error {
        case let error as CLIError:
            self = error
        case let error as DirectoryClient.ConnectionError:
            let hint = error.message.contains("StartTLS") || error.message.lowercased().contains("ldaps")
                ? catalogue.text(.errorTLSHint)
                : ""
            self.init(error.message + hint, status: .connectionFailure)
        case let error as LDAPOperationError:
            self.init(ldap: error, catalogue: catalogue)
        default:
            self.init("\(error)", status: .serverError)
        }
    }

    /// What a result code means, for an answer that carries no diagnostic message (slapd's often do not).
    static func meaning(of code: LDAPResultCode, _ catalogue: Catalogue) -> String {
        switch code.rawValue {
        case 68: catalogue.text(.resultEntryExists)
        case 32: catalogue.text(.resultNoSuchObject)
        case 50: catalogue.text(.resultAccessRefused)
        case 49: catalogue.text(.resultInvalidCredentials)
        case 53: catalogue.text(.resultUnwilling)
        default: "\(code)"
        }
    }

    private init(ldap error: LDAPOperationError, catalogue: Catalogue) {
        let values = ["code": "\(error.code)", "message": error.diagnosticMessage.isEmpty ? Self.meaning(of: error.code, catalogue) : error.diagnosticMessage]
        switch error.code.rawValue {
        case 49:
            self.init(catalogue.text(.authenticationFailed, values), status: .authenticationFailure)
        case 50, 13, 8, 48:
            self.init(catalogue.text(.accessRefused, values), status: .accessRefused)
        case 32:
            self.init(catalogue.text(.notFound, values), status: .notFound)
        case 16, 17, 18, 19, 20, 21, 53, 64, 65, 66, 67, 68, 69:
            // The server names the rule in its diagnostic ("R4: the two e-mail addresses differ …").
            self.init(catalogue.text(.refused, values), status: .ruleViolation)
        case 51, 52:
            self.init(catalogue.text(.serverUnavailable, values), status: .connectionFailure)
        default:
            self.init(catalogue.text(.serverAnswered, values), status: .serverError)
        }
    }
}

/// The one error type of the request path (the lldap model): an LDAP result
/// code with the diagnostic message and matched DN that go back to the client
/// in an `LDAPResult` (RFC 4511 §4.1.9).
public struct LDAPOperationError: Error, Hashable, Sendable, CustomStringConvertible {
    public var code: LDAPResultCode
    public var diagnosticMessage: String
    public var matchedDN: String

    public init(_ code: LDAPResultCode, _ diagnosticMessage: String, matchedDN: String = "") {
        self.code = code
        self.diagnosticMessage = diagnosticMessage
        self.matchedDN = matchedDN
    }

    /// The result to send back for this error.
    public var result: LDAPResult {
        LDAPResult(code: code, matchedDN: matchedDN, diagnosticMessage: diagnosticMessage)
    }

    public var description: String {
        diagnosticMessage.isEmpty ? "\(code)" : "\(code): \(diagnosticMessage)"
    }
}

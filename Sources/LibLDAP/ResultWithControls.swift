package import LDAPProtocol

/// An LDAP result (RFC 4511 §4.1.9) with its response controls (§4.1.11), as
/// libldap parsed it.
package struct ResultWithControls: Sendable {
    package var result: LDAPResult
    package var controls: [LDAPProtocol.LDAPControl]

    package init(result: LDAPResult, controls: [LDAPProtocol.LDAPControl]) {
        self.result = result
        self.controls = controls
    }

    /// The same, as the value callers outside this wrapper see.
    package var outcome: OperationOutcome { OperationOutcome(result: result, controls: controls) }

    /// Throws the result as an error unless it is a success.
    package func orThrow() throws -> ResultWithControls {
        guard result.code == .success else {
            throw LDAPOperationError(result.code, result.diagnosticMessage, matchedDN: result.matchedDN)
        }
        return self
    }
}

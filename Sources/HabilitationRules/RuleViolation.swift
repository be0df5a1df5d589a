public import LDAPProtocol

/// A broken rule of docs/domain.md: `constraintViolation` (19) with a message
/// that names the rule and the field and says what to fix.
public enum RuleViolation {
    public static func constraint(_ rule: String, _ message: String) -> LDAPOperationError {
        LDAPOperationError(.constraintViolation, "\(rule): \(message)")
    }

    /// R8: the identity may not do this here.
    public static func delegation(_ message: String) -> LDAPOperationError {
        LDAPOperationError(.insufficientAccessRights, "R8: \(message)")
    }
}

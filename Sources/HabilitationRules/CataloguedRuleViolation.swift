public import LDAPProtocol
public import Messages

/// Refusals whose text comes from the message catalogue (issue #16, item 5),
/// in the language of the request (`Language.current`, French by default);
/// the rule id opens the text in every language.
extension RuleViolation {
    /// `constraintViolation` (19) with the catalogue's text.
    public static func constraint(_ message: Message, _ values: [String: String] = [:]) -> LDAPOperationError {
        LDAPOperationError(.constraintViolation, text(message, values))
    }

    /// R8: `insufficientAccessRights` (50) with the catalogue's text.
    public static func delegation(_ message: Message, _ values: [String: String] = [:]) -> LDAPOperationError {
        LDAPOperationError(.insufficientAccessRights, text(message, values))
    }

    /// Any result code with the catalogue's text.
    public static func refusal(_ code: LDAPResultCode, _ message: Message, _ values: [String: String] = [:]) -> LDAPOperationError {
        LDAPOperationError(code, text(message, values))
    }

    /// The catalogue's text in the request's language.
    public static func text(_ message: Message, _ values: [String: String] = [:]) -> String {
        Catalogue(Language.current).text(message, values)
    }
}

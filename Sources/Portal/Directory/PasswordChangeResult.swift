public import Messages
import Foundation
import LDAPProtocol

/// What a password change came to (R6 quality rules; ppolicy's history),
/// each failed criterion kept apart so that the page names it in French next
/// to the field.
public enum PasswordChangeResult: Sendable, Equatable {
    case changed
    /// 49: the current password (or the recovery code) is not right, or the code has expired or was used.
    case invalidCredentials
    /// 19: the new password breaks these rules.
    case refused([PasswordProblem])
    case unavailable(String)

    init(_ error: LDAPOperationError) {
        switch error.code {
        case .invalidCredentials: self = .invalidCredentials
        case .constraintViolation: self = .refused(PasswordProblem.parse(error.diagnosticMessage))
        case .unwillingToPerform where error.diagnosticMessage.lowercased().contains("old password"): self = .invalidCredentials
        default: self = .refused([.other(error.diagnosticMessage.isEmpty ? "\(error.code)" : error.diagnosticMessage)])
        }
    }
}

/// One failed criterion of the password quality policy (R6) or of slapd's
/// password policy, read from the server's diagnostic message.
public enum PasswordProblem: Sendable, Equatable {
    case tooShort(length: Int, minimum: Int)
    case tooFewKinds(kinds: Int, required: Int)
    case containsIdentifier
    case containsLastName
    case containsFirstName
    case inHistory
    case tooYoung
    /// A message the portal does not know, shown as the server wrote it (with its rule id).
    case other(String)

    /// Splits "R6: the new password is refused: A; B" (or the server's French wording,
    /// "R6 : le nouveau mot de passe est refusé : A ; B", its default) into its criteria.
    static func parse(_ diagnostic: String) -> [PasswordProblem] {
        let lowered = diagnostic.lowercased()
        if lowered.contains("history") { return [.inHistory] }
        if lowered.contains("too young") { return [.tooYoung] }
        guard let range = diagnostic.range(of: "refused: ") ?? diagnostic.range(of: "refusé : ") else { return [.other(diagnostic)] }
        // A criterion's explanation follows it after a semicolon too ("it has 3 characters; at least 12 are needed").
        var criteria: [String] = []
        for part in diagnostic[range.upperBound...].split(separator: ";") {
            let text = part.trimmingCharacters(in: .whitespaces)
            let continuation = ["at least", "use at least", "il en faut", "utilisez-en"].contains { text.hasPrefix($0) }
            if continuation, let last = criteria.popLast() {
                criteria.append(last + "; " + text)
            } else {
                criteria.append(text)
            }
        }
        return criteria.map { text in
            let numbers = text.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            if text.hasPrefix("it has ") || text.hasPrefix("il a "), numbers.count >= 2 { return .tooShort(length: numbers[0], minimum: numbers[1]) }
            if text.hasPrefix("it mixes ") || text.hasPrefix("il mêle "), numbers.count >= 2 { return .tooFewKinds(kinds: numbers[0], required: numbers[1]) }
            if text.hasSuffix("identifier") || text.hasSuffix("votre identifiant") { return .containsIdentifier }
            if text.hasSuffix("last name") || text.hasSuffix("votre nom") { return .containsLastName }
            if text.hasSuffix("first name") || text.hasSuffix("votre prénom") { return .containsFirstName }
            return .other(text)
        }
    }

    /// The criterion in the page's language.
    public func text(_ language: Language) -> String {
        switch self {
        case .tooShort(let length, let minimum): PortalTexts.text("password.tooShort", language, ["length": "\(length)", "minimum": "\(minimum)"])
        case .tooFewKinds(let kinds, let required): PortalTexts.text("password.tooFewKinds", language, ["kinds": "\(kinds)", "required": "\(required)"])
        case .containsIdentifier: PortalTexts.text("password.containsIdentifier", language)
        case .containsLastName: PortalTexts.text("password.containsLastName", language)
        case .containsFirstName: PortalTexts.text("password.containsFirstName", language)
        case .inHistory: PortalTexts.text("password.inHistory", language)
        case .tooYoung: PortalTexts.text("password.tooYoung", language)
        case .other(let message): message
        }
    }
}

import Foundation
import LDAPProtocol
import Messages

/// A refusal from the server placed next to the form field it concerns, in
/// words a partner administrator understands, with the rule id (R2, R4, R8…)
/// kept. The server words its refusals in French or English but always names
/// the attribute in parentheses ("… (mail, mailConfirmation)") and starts
/// with the rule id ("R4 : …" / "R4: …"): those are what is matched, so the
/// placing does not depend on the server's language. Known refusals get the
/// catalogue's text; any other keeps the server's words without its LDAP
/// vocabulary (attribute names in parentheses, DNs shortened to their value).
public struct FieldProblem: Sendable, Equatable {
    /// The form field's name; nil for a problem of the whole form.
    public var field: String?
    public var message: String

    /// The rule id a diagnostic starts with ("R4" of "R4 : …" or "R4: …"), if any.
    static func ruleID(_ diagnostic: String) -> String? {
        let head = diagnostic.prefix { $0 != ":" }.trimmingCharacters(in: .whitespaces)
        guard head.count >= 2, head.count <= 3, head.first == "R", head.dropFirst().allSatisfy(\.isNumber) else { return nil }
        return head
    }

    /// R8: whether a refusal is the answer for an entry that is missing or not the person's, which
    /// read the same (the whole page answers as missing, never a field of the form).
    static func isMissingOrDenied(_ error: LDAPOperationError) -> Bool {
        error.code == .noSuchObject || error.code == .insufficientAccessRights
    }

    /// Places a refusal of a user, group or membership form.
    static func place(_ error: LDAPOperationError, language: Language) -> FieldProblem {
        let diagnostic = error.diagnosticMessage
        let rule = ruleID(diagnostic)
        func has(_ token: String) -> Bool { diagnostic.contains(token) }
        func known(_ field: String?, _ key: String) -> FieldProblem {
            FieldProblem(field: field, message: PortalTexts.text(key, language) + (rule.map { " (\($0))" } ?? ""))
        }
        if isMissingOrDenied(error) {
            // R8: a refused entry and a missing one read the same.
            return FieldProblem(field: nil, message: PortalTexts.text("error.notFoundOrDenied", language))
        }
        // Users (R4).
        if has("(mail, mailConfirmation)") { return known("mailConfirmation", "create.mailMismatch") }
        if has("(telephoneNumber, telephoneConfirmation)") { return known("telephoneConfirmation", "create.phoneMismatch") }
        if has("(workMode)") || has("(annWorkMode)") { return known("workMode", "create.workModeMissing") }
        if rule == "R4" && (has("shared mailbox") || has("boîte partagée")) { return known("mail", "create.sharedMailbox") }
        if has("(mail)") { return known("mail", has("required") || has("obligatoire") ? "field.required" : "create.mailInvalid") }
        if has("(telephoneNumber)") { return known("telephoneNumber", "create.phoneInvalid") }
        if has("(sn)") { return known("sn", "field.required") }
        if has("(givenName)") { return known("givenName", "field.required") }
        if rule == "R4" && (has("habilitation group") || has("groupe d'habilitation")) { return known("group", "create.groupUnknown") }
        // Memberships (R5).
        if rule == "R5" && error.code == .entryAlreadyExists { return known(nil, "memberships.stillOpen") }
        if rule == "R5" && has("(annOpenDate)") { return known("openDate", "memberships.overlap") }
        // Groups (R2, R3).
        if error.code == .entryAlreadyExists { return known("code", "groups.codeTaken") }
        if rule == "R2" && has("(cn)") { return known("code", "groups.codeInvalid") }
        if has("(annLabel)") { return known("label", "field.required") }
        if has("(annResponsible)") { return known("responsible", "groups.responsibleInvalid") }
        if has("(annParentGroup)") { return known("parent", "groups.parentInvalid") }
        if has("(annRole)") || rule == "R3" { return known("roles", "groups.roleNotGranted") }
        // Dates (R2, R4, R5).
        if has("(annCloseDate)") && has("(annOpenDate)") { return known("closeDate", "field.datesOrder") }
        if has("(annCloseDate)") { return known("closeDate", "create.dateInvalid") }
        return FieldProblem(field: nil, message: diagnostic.isEmpty ? "\(error.code)" : plain(diagnostic))
    }

    /// A server diagnostic without LDAP vocabulary: "(annCloseDate)" removed, "uid=X,ou=people,dc=…" shown "X".
    static func plain(_ diagnostic: String) -> String {
        var text = diagnostic
        let patterns: [(String, String)] = [
            (#"\s*\((?:ann[A-Za-z]+|cn|sn|givenName|mail|telephoneNumber|workMode|member|uid)(?:,\s*[A-Za-z]+)*\)"#, ""),
            (#"\b[A-Za-z]+=([^,\s=;]+)(?:,[A-Za-z]+=[^,\s=;]+)+"#, "$1"),
        ]
        for (pattern, template) in patterns {
            guard let expression = try? NSRegularExpression(pattern: pattern) else { continue }
            text = expression.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: template)
        }
        return text
    }
}

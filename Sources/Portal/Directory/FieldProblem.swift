import LDAPProtocol

/// A refusal from the server placed next to the form field it concerns, in
/// words a partner administrator understands, with the rule id (R2, R4, R8…)
/// kept. The server's diagnostics name the attribute in parentheses
/// ("… (mail, mailConfirmation)"); known ones get the catalogue's text. The
/// server words them in French unless asked otherwise (docs/workflows.md,
/// "Languages and CSV"): both wordings are recognised.
public struct FieldProblem: Sendable, Equatable {
    /// The form field's name; nil for a problem of the whole form.
    public var field: String?
    public var message: String

    /// Places a create-user or group refusal.
    static func place(_ error: LDAPOperationError, language: PortalLanguage) -> FieldProblem {
        let diagnostic = error.diagnosticMessage
        let rule = diagnostic.prefix(while: { $0 != ":" })
        let ruleID = rule.count <= 4 && rule.hasPrefix("R") ? String(rule) : nil
        func known(_ field: String, _ key: String) -> FieldProblem {
            FieldProblem(field: field, message: PortalMessages.text(key, language) + (ruleID.map { " (\($0))" } ?? ""))
        }
        if diagnostic.contains("(mail, mailConfirmation)") { return known("mailConfirmation", "create.mailMismatch") }
        if diagnostic.contains("(telephoneNumber, telephoneConfirmation)") { return known("telephoneConfirmation", "create.phoneMismatch") }
        if diagnostic.contains("(workMode)") || diagnostic.contains("(annWorkMode)") { return known("workMode", "create.workModeMissing") }
        if diagnostic.contains("shared mailbox") || diagnostic.contains("boîte partagée") { return known("mail", "create.sharedMailbox") }
        if diagnostic.contains("(mail)") {
            let required = diagnostic.contains("required") || diagnostic.contains("obligatoire")
            return known("mail", required ? "field.required" : "create.mailInvalid")
        }
        if diagnostic.contains("(telephoneNumber)") { return known("telephoneNumber", "create.phoneInvalid") }
        if diagnostic.contains("(sn)") { return known("sn", "field.required") }
        if diagnostic.contains("(givenName)") { return known("givenName", "field.required") }
        if diagnostic.contains("habilitation group") || diagnostic.contains("groupe d'habilitation") { return known("group", "create.groupUnknown") }
        // Groups (R2, R3).
        if error.code == .entryAlreadyExists { return known("code", "groups.codeTaken") }
        if diagnostic.contains("group code (cn)") || diagnostic.contains("code du groupe (cn)") { return known("code", "groups.codeInvalid") }
        if diagnostic.contains("(annLabel)") { return known("label", "field.required") }
        if diagnostic.contains("(annResponsible)") { return known("responsible", "groups.responsibleInvalid") }
        if diagnostic.contains("(annParentGroup)") { return known("parent", "groups.parentInvalid") }
        if diagnostic.contains("(annRole)") || diagnostic.contains("is not granted by convention") || diagnostic.contains("n'est pas accordé par la convention") { return known("roles", "groups.roleNotGranted") }
        if diagnostic.contains("close date (annCloseDate) is before") || diagnostic.contains("(annCloseDate) est antérieure") { return known("closeDate", "field.datesOrder") }
        if error.code == .insufficientAccessRights || error.code == .noSuchObject {
            return FieldProblem(field: nil, message: PortalMessages.text("error.notFoundOrDenied", language))
        }
        return FieldProblem(field: nil, message: diagnostic.isEmpty ? "\(error.code)" : diagnostic)
    }
}

public import Foundation

/// Mail texts overridden from a folder (`annuaire serve --mail-templates DIR`):
/// `identifier.subject`, `identifier.txt` (R9's identifier mail) and
/// `temporary-password.subject`, `temporary-password.txt` (R6's temporary
/// password mail), UTF-8; a missing file keeps the French default.
/// Placeholders: `{givenName}`, `{sn}`, `{identifier}`, and in the temporary
/// password mail `{password}` (required: without it the person would never
/// get the password) and `{hours}`; `recovery-link.subject`, `recovery-link.txt`
/// (R6's recovery link) with `{link}` or `{code}` (one is required) and `{hours}`.
extension MailTemplates {
    public static func loading(folder: URL) throws -> MailTemplates {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw MailTemplateError("mail templates: \(folder.path) is not a folder")
        }
        var templates = MailTemplates()
        func read(_ name: String) throws -> String? {
            let file = folder.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: file.path) else { return nil }
            guard let text = try? String(contentsOf: file, encoding: .utf8) else {
                throw MailTemplateError("mail templates: \(file.path) cannot be read as UTF-8 text")
            }
            return text
        }
        if let subject = try read("identifier.subject") { templates.identifierSubject = try oneLine(subject, "identifier.subject") }
        if let body = try read("identifier.txt") {
            try requirePlaceholders(body, ["{identifier}"], "identifier.txt")
            templates.identifierBody = body
        }
        if let subject = try read("temporary-password.subject") {
            templates.temporaryPasswordSubject = try oneLine(subject, "temporary-password.subject")
        }
        if let body = try read("temporary-password.txt") {
            try requirePlaceholders(body, ["{password}", "{identifier}"], "temporary-password.txt")
            templates.temporaryPasswordBody = body
        }
        if let subject = try read("recovery-link.subject") {
            templates.recoveryLinkSubject = try oneLine(subject, "recovery-link.subject")
        }
        if let body = try read("recovery-link.txt") {
            guard body.contains("{link}") || body.contains("{code}") else {
                throw MailTemplateError("mail templates: recovery-link.txt must contain {link} or {code}")
            }
            templates.recoveryLinkBody = body
        }
        return templates
    }

    private static func oneLine(_ text: String, _ name: String) throws -> String {
        let line = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !line.isEmpty, !line.contains("\n"), !line.contains("\r") else {
            throw MailTemplateError("mail templates: \(name) must hold one non-empty line (the subject)")
        }
        return line
    }

    private static func requirePlaceholders(_ text: String, _ names: [String], _ file: String) throws {
        for name in names where !text.contains(name) {
            throw MailTemplateError("mail templates: \(file) must contain \(name)")
        }
    }
}

/// A mail template folder that cannot be used, with what to fix.
public struct MailTemplateError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

public import Foundation

/// Mail texts overridden from a folder (`annuaire serve --mail-templates DIR`),
/// UTF-8, one file per text of `MailTemplates` (`MailTemplates.folderFiles`);
/// a missing file keeps the French default, a file of another name is refused
/// (a misspelt name would otherwise be ignored without a word). Each text must
/// keep the placeholders without which the mail is useless: R9's identifier
/// mails `{identifier}`, R6's temporary password mail `{password}` and
/// `{identifier}`, R6's recovery link `{link}` or `{code}`, the open-date
/// notice `{openDate}`, the help desk's footer `{contact}`, `{phone}` or `{mail}`.
extension MailTemplates {
    /// One overridable text: its file, the field it replaces, and the placeholders it must keep.
    public struct FolderFile: Sendable {
        public let name: String
        let field: any WritableKeyPath<MailTemplates, String> & Sendable
        /// Every one of these must be present.
        public let requiredPlaceholders: [String]
        /// At least one of these must be present (empty: no such condition).
        public let oneOfPlaceholders: [String]
        /// A subject is one line.
        public var isSubject: Bool { name.hasSuffix(".subject") }
    }

    /// Every file a template folder may hold, in the order of the mails.
    public static let folderFiles: [FolderFile] = [
        FolderFile(name: "identifier.subject", field: \.identifierSubject, requiredPlaceholders: [], oneOfPlaceholders: []),
        FolderFile(name: "identifier.txt", field: \.identifierBody, requiredPlaceholders: ["{identifier}"], oneOfPlaceholders: []),
        FolderFile(name: "identifier-opens-later.txt", field: \.identifierOpensLater, requiredPlaceholders: ["{openDate}"], oneOfPlaceholders: []),
        FolderFile(name: "identifier-reminder.subject", field: \.identifierReminderSubject, requiredPlaceholders: [], oneOfPlaceholders: []),
        FolderFile(name: "identifier-reminder.txt", field: \.identifierReminderBody, requiredPlaceholders: ["{identifier}"], oneOfPlaceholders: []),
        FolderFile(name: "temporary-password.subject", field: \.temporaryPasswordSubject, requiredPlaceholders: [], oneOfPlaceholders: []),
        FolderFile(
            name: "temporary-password.txt", field: \.temporaryPasswordBody, requiredPlaceholders: ["{password}", "{identifier}"], oneOfPlaceholders: []),
        FolderFile(name: "recovery-link.subject", field: \.recoveryLinkSubject, requiredPlaceholders: [], oneOfPlaceholders: []),
        FolderFile(name: "recovery-link.txt", field: \.recoveryLinkBody, requiredPlaceholders: [], oneOfPlaceholders: ["{link}", "{code}"]),
        FolderFile(name: "help-desk.txt", field: \.helpDeskFooter, requiredPlaceholders: [], oneOfPlaceholders: ["{contact}", "{phone}", "{mail}"]),
    ]

    public static func loading(folder: URL) throws -> MailTemplates {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw MailTemplateError("mail templates: \(folder.path) is not a folder")
        }
        let known = Set(folderFiles.map(\.name))
        let present = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in present.sorted() where (name.hasSuffix(".txt") || name.hasSuffix(".subject")) && !known.contains(name) {
            throw MailTemplateError(
                "mail templates: \(name) is not a mail text; the folder may hold \(folderFiles.map(\.name).joined(separator: ", "))")
        }
        var templates = MailTemplates()
        for file in folderFiles {
            let path = folder.appendingPathComponent(file.name)
            guard FileManager.default.fileExists(atPath: path.path) else { continue }
            guard let text = try? String(contentsOf: path, encoding: .utf8) else {
                throw MailTemplateError("mail templates: \(path.path) cannot be read as UTF-8 text")
            }
            templates[keyPath: file.field] = try checked(text, file)
        }
        return templates
    }

    private static func checked(_ text: String, _ file: FolderFile) throws -> String {
        var text = text
        if file.isSubject {
            text = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty, !text.contains("\n"), !text.contains("\r") else {
                throw MailTemplateError("mail templates: \(file.name) must hold one non-empty line (the subject)")
            }
        }
        for name in file.requiredPlaceholders where !text.contains(name) {
            throw MailTemplateError("mail templates: \(file.name) must contain \(name)")
        }
        if !file.oneOfPlaceholders.isEmpty, !file.oneOfPlaceholders.contains(where: text.contains) {
            throw MailTemplateError("mail templates: \(file.name) must contain \(file.oneOfPlaceholders.joined(separator: " or "))")
        }
        return text
    }
}

/// A mail template folder that cannot be used, with what to fix.
public struct MailTemplateError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

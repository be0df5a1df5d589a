import AnnuaireTestSupport
import Foundation
import Habilitations
import Testing

/// The mail texts (R6, R9) overridden from a folder, checked before use.
@Suite("Mail templates from a folder (R6, R9)")
struct MailTemplatesFolderTests {
    static func folder(_ files: [String: String]) throws -> URL {
        let folder = URL(fileURLWithPath: try TestDirectory.makeTemporaryFolder("tpl"))
        for (name, text) in files {
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return folder
    }

    @Test("an English temporary-password text replaces the French one, the other texts keep their defaults, placeholders are filled")
    func overrides() throws {
        let folder = try Self.folder([
            "temporary-password.subject": "Your temporary password\n",
            "temporary-password.txt": "Hello {givenName} {sn}, the password of {identifier} is {password}; change it within {hours} hours.",
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let templates = try MailTemplates.loading(folder: folder)
        let message = templates.temporaryPassword(
            to: "x.lagare@partenaires.fr", identifier: "XXX0606XX12", sn: "LAGARE", givenName: "Xavier", password: "Pw-123456789", validHours: 24, date: Date())
        #expect(message.subject == "Your temporary password")
        #expect(message.body == "Hello Xavier LAGARE, the password of XXX0606XX12 is Pw-123456789; change it within 24 hours.")
        let identifier = templates.identifier(to: "x.lagare@partenaires.fr", identifier: "XXX0606XX12", sn: "LAGARE", givenName: "Xavier", date: Date())
        #expect(identifier.subject == MailTemplates().identifierSubject)
        #expect(identifier.body.contains("Votre identifiant de connexion est : XXX0606XX12"))
    }

    @Test("a text that would not carry the password or the identifier, a two-line subject and a missing folder are refused, naming the file")
    func refusals() throws {
        let cases: [([String: String], String)] = [
            (["temporary-password.txt": "Bonjour {identifier}"], "temporary-password.txt must contain {password}"),
            (["identifier.txt": "Bonjour"], "identifier.txt must contain {identifier}"),
            (["identifier.subject": "one\ntwo"], "identifier.subject must hold one non-empty line"),
        ]
        for (files, message) in cases {
            let folder = try Self.folder(files)
            defer { try? FileManager.default.removeItem(at: folder) }
            #expect {
                _ = try MailTemplates.loading(folder: folder)
            } throws: { error in
                String(describing: error).contains(message)
            }
        }
        #expect {
            _ = try MailTemplates.loading(folder: URL(fileURLWithPath: "/nonexistent/templates"))
        } throws: { error in
            String(describing: error).contains("/nonexistent/templates is not a folder")
        }
    }

    /// Every mail the templates write, with values that fill every placeholder.
    static func everyMail(_ templates: MailTemplates) -> [MailMessage] {
        let date = Date()
        let desk = HelpDesk(phone: "04 00 00 00 00", mail: "aide@caf.example", hours: "9 h - 17 h")
        return [
            templates.identifier(to: "a@b.fr", identifier: "XXX0606XX12", sn: "LAGARE", givenName: "Xavier", date: date),
            templates.identifier(to: "a@b.fr", identifier: "XXX0606XX12", sn: "LAGARE", givenName: "Xavier", opensOn: "04/12/2026", date: date),
            templates.identifierReminder(to: "a@b.fr", identifier: "XXX0606XX12", sn: "LAGARE", givenName: "Xavier", date: date),
            templates.temporaryPassword(
                to: "a@b.fr", identifier: "XXX0606XX12", sn: "LAGARE", givenName: "Xavier", password: "Pw-123456789", validHours: 24, date: date),
            templates.recoveryLink(
                to: "a@b.fr", identifier: "XXX0606XX12", sn: "LAGARE", givenName: "Xavier", link: "https://p/x#t", code: "t", validHours: 1,
                date: date),
            templates.endingWith(desk, templates.identifier(to: "a@b.fr", identifier: "XXX0606XX12", sn: "LAGARE", givenName: "Xavier", date: date)),
        ]
    }

    @Test("every text of MailTemplates has its file in the folder, and each file's text reaches the mail it belongs to")
    func everyTemplateOverridable() throws {
        // A text added to MailTemplates without a file would make this count differ.
        let fields = Mirror(reflecting: MailTemplates()).children.filter { $0.value is String }.count
        #expect(MailTemplates.folderFiles.count == fields)
        var files: [String: String] = [:]
        for file in MailTemplates.folderFiles {
            let marker = "MARK-\(file.name)"
            files[file.name] = file.isSubject
                ? marker
                : marker + " " + (file.requiredPlaceholders + file.oneOfPlaceholders.prefix(1)).joined(separator: " ")
        }
        let folder = try Self.folder(files)
        defer { try? FileManager.default.removeItem(at: folder) }
        let mails = Self.everyMail(try MailTemplates.loading(folder: folder))
        for file in MailTemplates.folderFiles {
            let marker = "MARK-\(file.name)"
            let shown = mails.contains { file.isSubject ? $0.subject == marker : $0.body.contains(marker) }
            #expect(shown, "\(file.name) is loaded but reaches no mail")
        }
        // The placeholders are filled in the overridden texts too.
        #expect(mails[1].body.contains("MARK-identifier-opens-later.txt 04/12/2026"))
        #expect(mails[2].body.contains("MARK-identifier-reminder.txt XXX0606XX12"))
        #expect(mails[5].body.hasSuffix("MARK-help-desk.txt 04 00 00 00 00 — aide@caf.example — 9 h - 17 h"))
        // Defaults: the reminder announces no second mail, the footer names the help desk.
        let defaults = Self.everyMail(MailTemplates())
        #expect(!defaults[2].body.contains("message séparé"))
        #expect(defaults[5].body.hasSuffix("Centre de Services : 04 00 00 00 00 — aide@caf.example — 9 h - 17 h"))
    }

    @Test("a misspelt file name and a new text without its placeholder are refused, naming the file and what it must contain")
    func newTextsChecked() throws {
        let cases: [([String: String], String)] = [
            (["identifier-reminder.text.txt": "x {identifier}"], "identifier-reminder.text.txt is not a mail text; the folder may hold identifier.subject"),
            (["identifier-reminder.txt": "Bonjour"], "identifier-reminder.txt must contain {identifier}"),
            (["identifier-opens-later.txt": "Bientôt"], "identifier-opens-later.txt must contain {openDate}"),
            (["help-desk.txt": "Appelez-nous"], "help-desk.txt must contain {contact} or {phone} or {mail}"),
            (["recovery-link.txt": "Bonjour"], "recovery-link.txt must contain {link} or {code}"),
            (["identifier-reminder.subject": "\n"], "identifier-reminder.subject must hold one non-empty line"),
        ]
        for (files, message) in cases {
            let folder = try Self.folder(files)
            defer { try? FileManager.default.removeItem(at: folder) }
            #expect {
                _ = try MailTemplates.loading(folder: folder)
            } throws: { error in
                String(describing: error).contains(message)
            }
        }
    }
}

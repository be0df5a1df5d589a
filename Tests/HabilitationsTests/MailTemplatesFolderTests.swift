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
}

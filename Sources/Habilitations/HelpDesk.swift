public import DirectoryBackend
public import LDAPProtocol

/// The operator's help desk ("Centre de Services"): its phone, mailbox and
/// opening hours, configured once in the directory
/// (`cn=help-desk,ou=policies,…`, an `organizationalRole` with
/// `telephoneNumber`, `mail` and its hours in `description`), readable by
/// anyone like the usage rules (R10), written by the operator only. Every
/// mail the server sends ends with it, and `annuaire rules` shows it.
public struct HelpDesk: Sendable, Hashable {
    public var phone: String
    public var mail: String
    public var hours: String

    public init(phone: String, mail: String, hours: String) {
        self.phone = phone
        self.mail = mail
        self.hours = hours
    }


    /// The entry as the operator writes it (`extensibleObject` lets an organizational role carry a mailbox).
    public func attributes() -> [PartialAttribute] {
        [
            PartialAttribute(type: "objectClass", strings: ["organizationalRole", "extensibleObject"]),
            PartialAttribute(type: "cn", strings: ["help-desk"]),
            PartialAttribute(type: "telephoneNumber", strings: [phone]),
            PartialAttribute(type: "mail", strings: [mail]),
            PartialAttribute(type: "description", strings: [hours]),
        ]
    }

    /// From its entry; nil when it has none of the three.
    public init?(_ entry: EntrySnapshot) {
        let phone = entry.value("telephoneNumber") ?? ""
        let mail = entry.value("mail") ?? ""
        let hours = entry.value("description") ?? ""
        guard !(phone.isEmpty && mail.isEmpty && hours.isEmpty) else { return nil }
        self.init(phone: phone, mail: mail, hours: hours)
    }

    /// The configured help desk; nil when the operator has configured none (or it cannot be read).
    public static func read(_ store: any DirectoryStore, layout: DirectoryLayout) async -> HelpDesk? {
        guard let found = try? await store.read(layout.helpDesk, attributes: ["telephoneNumber", "mail", "description"]) else { return nil }
        return HelpDesk(EntrySnapshot(found))
    }
}

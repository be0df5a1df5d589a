import LDAPProtocol
import Habilitations

/// Application accounts (R8): name, DN to bind with, services they serve.
enum ApplicationRecords {
    static let attributes = ["uid", "cn", "description", "annServiceScope"]

    /// The container application accounts live in, with the operators (README, "Directory tree").
    static func container(_ session: DirectorySession) -> String { session.layout.operators }

    static func dn(_ name: String, session: DirectorySession) -> String {
        "uid=\(LDAPText.escapeRDNValue(name)),\(container(session))"
    }

    /// Nom, DN de connexion, Services, Description.
    static func row(_ entry: SearchResultEntry) -> Record {
        let services = entry.strings("annServiceScope").map(LDAPText.leafValue(of:))
        return Record(fields: [
            .init("name", "Nom", entry.string("uid")),
            .init("bindDN", "DN de connexion", entry.objectName),
            .init("services", "Services", list: services),
            .init("description", "Description", entry.string("description")),
        ], entry: entry)
    }

    static let emptyFields = row(SearchResultEntry(objectName: "", attributes: [])).fields
}

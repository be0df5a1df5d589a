import LDAPProtocol

/// Conventions: what the operator granted a partner (services and profiles).
enum ConventionRecords {
    static let attributes = ["objectClass", "cn", "annLabel", "annOpenDate", "annCloseDate", "annStatus", "annGrantedProfile"]

    /// Numéro, Partenaire, Libellé, Profils accordés, Date d'ouverture, Date de clôture, Statut.
    static func row(_ entry: SearchResultEntry, session: DirectorySession) -> Record {
        let status = DisplayStatus.of(entry)
        return Record(fields: [
            .init("number", "Numéro", entry.string("cn")),
            .init("partner", "Partenaire", LDAPText.leafValue(of: LDAPText.parent(of: entry.objectName))),
            .init("label", "Libellé", entry.string("annLabel")),
            .init("grantedProfiles", "Profils accordés", list: entry.strings("annGrantedProfile").map(session.roleName)),
            .init("openDate", "Date d'ouverture", DisplayDate.iso(entry.string("annOpenDate")), display: DisplayDate.portal(entry.string("annOpenDate"))),
            .init("closeDate", "Date de clôture", DisplayDate.iso(entry.string("annCloseDate")), display: DisplayDate.portal(entry.string("annCloseDate"))),
            .init("status", "Statut", status, display: DisplayStatus.label(status)),
        ], entry: entry)
    }

    static func emptyFields(_ session: DirectorySession) -> [Record.Field] {
        row(SearchResultEntry(objectName: "", attributes: []), session: session).fields
    }
}

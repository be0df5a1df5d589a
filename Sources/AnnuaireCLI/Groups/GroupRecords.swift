import LDAPProtocol

/// Groups as the portal lists them (R2) with their habilitations (R3).
enum GroupRecords {
    static let attributes = [
        "objectClass", "cn", "annLabel", "annLevel", "annOpenDate", "annCloseDate", "annStatus", "annResponsible",
        "annParentGroup", "annRole", "member",
    ]

    /// Code, Libellé, Niveau, Convention, Responsable, Rôles, Date d'ouverture, Date de clôture, Statut.
    static func row(_ entry: SearchResultEntry, session: DirectorySession) -> Record {
        let status = DisplayStatus.of(entry)
        return Record(fields: [
            .init("code", "Code", entry.string("cn")),
            .init("label", "Libellé", entry.string("annLabel")),
            .init("level", "Niveau", entry.string("annLevel")),
            .init("convention", "Convention", LDAPText.leafValue(of: LDAPText.parent(of: entry.objectName))),
            .init("responsible", "Responsable", entry.string("annResponsible").map(LDAPText.leafValue(of:))),
            .init("roles", "Rôles", list: entry.strings("annRole").map(session.roleName)),
            .init("openDate", "Date d'ouverture", DisplayDate.iso(entry.string("annOpenDate")), display: DisplayDate.portal(entry.string("annOpenDate"))),
            .init("closeDate", "Date de clôture", DisplayDate.iso(entry.string("annCloseDate")), display: DisplayDate.portal(entry.string("annCloseDate"))),
            .init("status", "Statut", status, display: DisplayStatus.label(status)),
        ], entry: entry)
    }

    /// The detail: the row, the parent group, the effective members and the DN.
    static func detail(_ entry: SearchResultEntry, session: DirectorySession) -> Record {
        var record = row(entry, session: session)
        record.fields += [
            .init("parentGroup", "Sous-groupe de", entry.string("annParentGroup").map(LDAPText.leafValue(of:))),
            .init("members", "Membres", list: entry.strings("member").map(LDAPText.leafValue(of:))),
            .init("dn", "DN", entry.objectName),
        ]
        return record
    }

    static func emptyFields(_ session: DirectorySession) -> [Record.Field] {
        row(SearchResultEntry(objectName: "", attributes: []), session: session).fields
    }
}

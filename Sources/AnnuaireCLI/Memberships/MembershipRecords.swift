import LDAPProtocol

/// Memberships (R5): a user in a group, with its own dates.
enum MembershipRecords {
    static let attributes = ["objectClass", "annMemberUid", "annMember", "annOpenDate", "annCloseDate", "annStatus"]

    /// Identifiant, Groupe, Convention, Date d'ouverture, Date de clôture, Statut.
    static func row(_ entry: SearchResultEntry) -> Record {
        let group = LDAPText.parent(of: entry.objectName)
        let status = DisplayStatus.of(entry)
        return Record(fields: [
            .init("identifier", "Identifiant", entry.string("annMemberUid")),
            .init("group", "Groupe", LDAPText.leafValue(of: group)),
            .init("convention", "Convention", LDAPText.leafValue(of: LDAPText.parent(of: group))),
            .init("openDate", "Date d'ouverture", DisplayDate.iso(entry.string("annOpenDate")), display: DisplayDate.portal(entry.string("annOpenDate"))),
            .init("closeDate", "Date de clôture", DisplayDate.iso(entry.string("annCloseDate")), display: DisplayDate.portal(entry.string("annCloseDate"))),
            .init("status", "Statut", status, display: DisplayStatus.label(status)),
        ], entry: entry)
    }

    static let emptyFields = row(SearchResultEntry(objectName: "", attributes: [])).fields
}

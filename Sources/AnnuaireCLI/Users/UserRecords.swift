import Habilitations
import LDAPProtocol
import Messages

/// Users as the portal lists and shows them (R4, R7: a closed user shows the
/// e-mail "Désactivé" and the status "Clôturé").
enum UserRecords {
    static let attributes = [
        "objectClass", "uid", "sn", "givenName", "cn", "mail", "telephoneNumber", "annOpenDate", "annCloseDate",
        "annStatus", "annWorkMode", "annConvention", "memberOf", "annHabilitation", "annManages",
    ]

    /// The list columns: Identifiant, Nom, Prénom, Adresse mail, Téléphone, Date d'ouverture, Date de clôture, Statut.
    static func row(_ entry: SearchResultEntry) -> Record {
        let status = DisplayStatus.of(entry)
        let closed = EntryStatus(rawValue: status) == .closed
        let mail = entry.string("mail")
        return Record(fields: [
            .init("identifier", "Identifiant", entry.string("uid")),
            .init("lastName", "Nom", entry.string("sn")),
            .init("firstName", "Prénom", entry.string("givenName")),
            .init("mail", "Adresse mail", mail, display: closed ? CLIContext.texts.text(.mailDisabled) : (mail ?? "")),
            .init("telephone", "Téléphone", entry.string("telephoneNumber")),
            .init("openDate", "Date d'ouverture", DisplayDate.iso(entry.string("annOpenDate")), display: DisplayDate.portal(entry.string("annOpenDate"))),
            .init("closeDate", "Date de clôture", DisplayDate.iso(entry.string("annCloseDate")), display: DisplayDate.portal(entry.string("annCloseDate"))),
            .init("status", "Statut", status, display: DisplayStatus.label(status)),
        ], entry: entry)
    }

    /// The detail: the row's fields, then work mode, convention, groups, habilitations and the groups it manages.
    static func detail(_ entry: SearchResultEntry, session: DirectorySession) -> Record {
        var record = row(entry)
        let mode = entry.string("annWorkMode") ?? ""
        record.fields += [
            .init("workMode", "Mode de travail", mode, display: mode == "itinerant" ? CLIContext.texts.text(.workModeItinerant) : mode == "sedentary" ? CLIContext.texts.text(.workModeSedentary) : mode),
            .init("convention", "Convention", entry.string("annConvention").map(LDAPText.leafValue(of:))),
            .init("groups", "Groupes", list: entry.strings("memberOf").map(LDAPText.leafValue(of:))),
            .init("habilitations", "Habilitations", list: entry.strings("annHabilitation").map(session.roleName)),
            // R8: the groups it manages as their responsible (and their subgroups).
            .init("manages", "Responsable de", list: entry.strings("annManages").map(LDAPText.leafValue(of:))),
            .init("dn", "DN", entry.objectName),
        ]
        return record
    }

    /// The table's columns when the listing is empty.
    static var emptyFields: [Record.Field] { row(SearchResultEntry(objectName: "", attributes: [])).fields }
}

import Habilitations
import LDAPProtocol

/// An entry's derived state (R5, R7: `annStatus`, written by the server) as the CLI
/// shows it: "Ouvert", "En attente", "Clôturé" from the catalogue. An entry without
/// the attribute is in force (the server writes it only once a date is reached).
enum DisplayStatus {
    /// The entry's status as stored; an unknown value (a newer server) is kept as it is.
    static func of(_ entry: SearchResultEntry) -> String {
        entry.string(AttributeName.status) ?? EntryStatus.open.rawValue
    }

    /// The catalogue's word for `status`; an unknown value shown as it is.
    static func label(_ raw: String) -> String {
        switch EntryStatus(rawValue: raw) {
        case .open: CLIContext.texts.text(.statusOpen)
        case .closed: CLIContext.texts.text(.statusClosed)
        case .pending: CLIContext.texts.text(.statusPending)
        case nil: raw
        }
    }
}

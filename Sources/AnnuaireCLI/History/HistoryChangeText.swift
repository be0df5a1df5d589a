import Habilitations
import Messages

/// R11 as people read it: one recorded change (`annChange`) as
/// "Libellé : CDAP T1 → CDAP T1 bis" or "Rôles : +CDAP/T2 −CDAP/T1", with the
/// portal's field names, codes instead of DNs and dates as 25/08/2021.
enum HistoryChangeText {
    static func text(_ change: HistoryChange, target: String, session: DirectorySession, catalogue: Catalogue) -> String {
        let name = fieldName(change.attribute, target: target, catalogue)
        let old = change.old.map { value(change.attribute, $0, session: session) }
        let new = change.new.map { value(change.attribute, $0, session: session) }
        let separator = catalogue.text(.fieldSeparator)
        if multiValued.contains(change.attribute.lowercased()) {
            let oldSet = Set(change.old.map { $0.lowercased() })
            let newSet = Set(change.new.map { $0.lowercased() })
            let added = change.new.filter { !oldSet.contains($0.lowercased()) }.map { "+" + value(change.attribute, $0, session: session) }
            let removed = change.old.filter { !newSet.contains($0.lowercased()) }.map { "−" + value(change.attribute, $0, session: session) }
            return name + separator + (added + removed).joined(separator: " ")
        }
        let empty = "∅"
        return name + separator + (old.isEmpty ? empty : old.joined(separator: ", ")) + " → " + (new.isEmpty ? empty : new.joined(separator: ", "))
    }

    static let multiValued: Set<String> = ["annrole", "anngrantedprofile", "annconvention", "annadministers", "telephonenumber", "annservicescope"]

    static func value(_ attribute: String, _ value: String, session: DirectorySession) -> String {
        switch attribute.lowercased() {
        case "annopendate", "annclosedate": DisplayDate.portal(value)
        case "annrole", "anngrantedprofile": session.roleName(value)
        case "annresponsible", "annparentgroup", "annmember", "group", "annconvention", "annadministers", "annpartnertype": LDAPText.leafValue(of: value)
        default: value
        }
    }

    /// The portal's name of a field; a group's `cn` is its code, a person's its full name.
    static func fieldName(_ attribute: String, target: String, _ catalogue: Catalogue) -> String {
        let names: [String: Message] = [
            "annlabel": .fieldLabel, "annopendate": .fieldOpenDate, "annclosedate": .fieldCloseDate,
            "annrole": .fieldRoles, "annresponsible": .fieldResponsible, "annparentgroup": .fieldParentGroup,
            "annmember": .fieldMember, "annmemberuid": .fieldIdentifier, "sn": .fieldLastName,
            "givenname": .fieldFirstName, "mail": .fieldMail, "telephonenumber": .fieldPhone, "annworkmode": .fieldWorkMode,
            "uid": .fieldIdentifier, "annconvention": .fieldConvention, "annadministers": .fieldAdministers, "group": .fieldGroup,
        ]
        if attribute.lowercased() == "cn" {
            return catalogue.text(target.lowercased().hasPrefix("uid=") ? .fieldFullName : .fieldGroupCode)
        }
        guard let message = names[attribute.lowercased()] else { return attribute }
        return catalogue.text(message)
    }
}

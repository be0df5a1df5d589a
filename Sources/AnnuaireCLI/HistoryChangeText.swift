import Habilitations
import Messages

/// R11 as people read it: one recorded change (`annChange`) as
/// "Libellé : CDAP T1 → CDAP T1 bis" or "Rôles : +CDAP/T2 −CDAP/T1", with the
/// portal's field names, codes instead of DNs and dates as 25/08/2021.
enum HistoryChangeText {
    static func text(_ change: HistoryChange, session: DirectorySession, catalogue: Catalogue) -> String {
        let name = fieldName(change.attribute, catalogue.language)
        let old = change.old.map { value(change.attribute, $0, session: session) }
        let new = change.new.map { value(change.attribute, $0, session: session) }
        let separator = catalogue.language == .french ? " : " : ": "
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

    static func fieldName(_ attribute: String, _ language: Language) -> String {
        let names: [String: (String, String)] = [
            "annlabel": ("Libellé", "Label"), "annopendate": ("Date d'ouverture", "Open date"), "annclosedate": ("Date de clôture", "Close date"),
            "annrole": ("Rôles", "Roles"), "annresponsible": ("Responsable", "Responsible"), "annparentgroup": ("Sous-groupe de", "Parent group"),
            "annmember": ("Membre", "Member"), "annmemberuid": ("Identifiant", "Identifier"), "sn": ("Nom", "Last name"),
            "givenname": ("Prénom", "First name"), "cn": ("Nom complet", "Full name"), "mail": ("Adresse mail", "E-mail"),
            "telephonenumber": ("Téléphone", "Phone"), "annworkmode": ("Mode de travail", "Work mode"), "uid": ("Identifiant", "Identifier"),
            "annconvention": ("Convention", "Convention"), "annadministers": ("Administre", "Administers"),
            "group": ("Groupe", "Group"),
        ]
        guard let pair = names[attribute.lowercased()] else { return attribute }
        return language == .french ? pair.0 : pair.1
    }
}

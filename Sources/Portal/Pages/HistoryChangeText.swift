import Foundation
import Messages

/// One recorded change of the history (R11, `annChange`: a JSON value
/// `{"attribute":…,"old":[…],"new":[…]}` written by the server) as people
/// read it: "Libellé : CDAP T1 → CDAP T1 bis", "Rôles : +CDAP/T2 −CDAP/T1",
/// with the portal's field names, codes instead of DNs and dates as
/// 25/08/2021; the values are the ones the server recorded.
struct HistoryChangeText: Decodable, Sendable, Equatable {
    var attribute: String
    var old: [String]
    var new: [String]

    init(attribute: String, old: [String], new: [String]) {
        self.attribute = attribute
        self.old = old
        self.new = new
    }

    /// A stored value read back; nil when it is not one.
    init?(stored: String) {
        guard let decoded = try? JSONDecoder().decode(HistoryChangeText.self, from: Data(stored.utf8)) else { return nil }
        self = decoded
    }

    static let multiValued: Set<String> = ["annrole", "anngrantedprofile", "annconvention", "annadministers", "annservicescope"]

    func text(language: Language, services: String) -> String {
        let key = "history.field.\(attribute.lowercased())"
        let name = PortalTexts.catalogue[key] == nil ? attribute : PortalTexts.text(key, language)
        let separator = language == .french ? " : " : ": "
        if Self.multiValued.contains(attribute.lowercased()) {
            let oldSet = Set(old.map { $0.lowercased() })
            let newSet = Set(new.map { $0.lowercased() })
            let added = new.filter { !oldSet.contains($0.lowercased()) }.map { "+" + value($0, services: services) }
            let removed = old.filter { !newSet.contains($0.lowercased()) }.map { "−" + value($0, services: services) }
            return name + separator + (added + removed).joined(separator: " ")
        }
        let before = old.isEmpty ? "∅" : old.map { value($0, services: services) }.joined(separator: ", ")
        let after = new.isEmpty ? "∅" : new.map { value($0, services: services) }.joined(separator: ", ")
        return name + separator + before + " → " + after
    }

    func value(_ value: String, services: String) -> String {
        switch attribute.lowercased() {
        case "annopendate", "annclosedate": PortalDate.display(value)
        case "annrole", "anngrantedprofile": Portal.roleName(value, services: services)
        case "annresponsible", "annparentgroup", "annmember", "annconvention", "annadministers", "annpartnertype", "annservicescope":
            LDAPText.leafValue(of: value)
        default: value
        }
    }
}

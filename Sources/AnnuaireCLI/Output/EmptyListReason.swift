import LDAPProtocol
import Messages

/// Why an administrator's list is empty (issue #16, item 6): the filters it
/// gave, and what its rights let it see (R8) — the conventions it
/// administers, the groups it manages, or nothing but itself.
enum EmptyListReason {
    static func text(_ session: DirectorySession, filters: [String], catalogue: Catalogue) -> String {
        var parts: [String] = []
        if !filters.isEmpty {
            parts.append(catalogue(.emptyWithFilters, ("filters", filters.joined(separator: " "))))
        }
        let rights = try? session.client.read(session.bindDN, attributes: ["annAdministers", "annManages", "objectClass"])
        let administers = rights?.strings("annAdministers").map(LDAPText.leafValue(of:)) ?? []
        let manages = rights?.strings("annManages").map(LDAPText.leafValue(of:)) ?? []
        let isOperator = rights?.strings("objectClass").contains { $0.lowercased() == "annoperator" } ?? false
        if isOperator {
            // The operator sees everything: the filters alone explain it.
        } else if !administers.isEmpty {
            parts.append(catalogue(.emptyAdministered, ("conventions", administers.joined(separator: ", "))))
        } else if !manages.isEmpty {
            parts.append(catalogue(.emptyManaged, ("groups", manages.joined(separator: ", "))))
        } else {
            parts.append(catalogue.text(.emptyNoRights))
        }
        return parts.isEmpty ? "" : " (" + parts.joined(separator: catalogue.text(.listSeparator)) + ")"
    }
}

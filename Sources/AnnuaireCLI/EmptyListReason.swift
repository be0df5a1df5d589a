import LDAPProtocol
import Messages

/// Why an administrator's list is empty (issue #16, item 6): the filters it
/// gave, and what its rights let it see (R8) — the conventions it
/// administers, the groups it manages, or nothing but itself.
enum EmptyListReason {
    static func text(_ session: DirectorySession, filters: [String], catalogue: Catalogue) -> String {
        let french = catalogue.language == .french
        var parts: [String] = []
        if !filters.isEmpty {
            parts.append((french ? "avec les filtres " : "with the filters ") + filters.joined(separator: " "))
        }
        let rights = try? session.client.read(session.bindDN, attributes: ["annAdministers", "annManages", "objectClass"])
        let administers = rights?.strings("annAdministers").map(LDAPText.leafValue(of:)) ?? []
        let manages = rights?.strings("annManages").map(LDAPText.leafValue(of:)) ?? []
        let isOperator = rights?.strings("objectClass").contains { $0.lowercased() == "annoperator" } ?? false
        if isOperator {
            // The operator sees everything: the filters alone explain it.
        } else if !administers.isEmpty {
            parts.append((french ? "vous voyez les conventions que vous administrez : " : "you see the conventions you administer: ")
                + administers.joined(separator: ", "))
        } else if !manages.isEmpty {
            parts.append((french ? "vous voyez les groupes dont vous êtes responsable : " : "you see the groups you are the responsible of: ")
                + manages.joined(separator: ", "))
        } else {
            parts.append(french
                ? "vous n'administrez aucune convention et n'êtes responsable d'aucun groupe (R8) : demandez vos droits à votre administrateur"
                : "you administer no convention and manage no group (R8): ask your administrator for rights")
        }
        return parts.isEmpty ? "" : " (" + parts.joined(separator: french ? " ; " : "; ") + ")"
    }
}

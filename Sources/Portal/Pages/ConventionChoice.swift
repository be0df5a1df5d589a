import DirectoryBackend
import LDAPProtocol

/// The conventions a person may work in, as the server lets the person see
/// them (R8: a partner administrator its own, a group's responsible those of
/// its groups, the operator every one). The operator's are searched for; the
/// others' are read from the person's own entry (`annAdministers`,
/// `annManages`, as read at login) one by one, the server deciding each
/// read. A convention named in a URL or a form that is not among them gets
/// the same answer as a missing one.
struct ConventionChoice: Sendable {
    struct Convention: Sendable {
        let dn: String
        let number: String
        let label: String
    }

    let all: [Convention]
    let selected: Convention?

    static func load(_ person: PersonSession, endpoint: DirectoryEndpoint, wanted: String?) async throws -> ConventionChoice {
        let partners = endpoint.partners
        let profile = person.profile
        let entries: [SearchResultEntry]
        if profile.role == .operator {
            entries = try await person.connection.run { client in
                // One page of the server's paged results (the operator sees every convention: the first 500).
                try client.searchPage(
                    base: partners, scope: .wholeSubtree, filter: "(objectClass=annConvention)", attributes: ["cn", "annLabel"], sizeLimit: 0,
                    controls: [PagedResultsControl(size: 500, cookie: []).control()]
                ).entries
            }
        } else {
            // Anyone else works in the conventions it administers and those of the groups it is responsible
            // for (a group lies right below its convention): read one by one, the server still deciding
            // what may be read, rather than searched for among every partner's.
            var seen = Set<String>()
            let candidates = (profile.administeredConventions + profile.managedGroups.map(LDAPText.parent(of:)))
                .filter { !$0.isEmpty && LDAPText.isWithin($0, partners) && seen.insert($0.lowercased()).inserted }
            entries = try await person.connection.run { client in
                try candidates.compactMap { dn in try client.read(dn, attributes: ["objectClass", "cn", "annLabel"]) }
                    .filter { entry in entry.values(of: "objectClass").contains { String(decoding: $0, as: UTF8.self).lowercased() == "annconvention" } }
            }
        }
        let all = entries.map { entry in
            Convention(
                dn: entry.objectName,
                number: entry.values(of: "cn").first.map { String(decoding: $0, as: UTF8.self) } ?? LDAPText.leafValue(of: entry.objectName),
                label: entry.values(of: "annLabel").first.map { String(decoding: $0, as: UTF8.self) } ?? "")
        }.sorted { $0.number < $1.number }
        let selected = wanted.map { wanted in all.first { $0.number == wanted } } ?? (all.count >= 1 ? all.first : nil)
        return ConventionChoice(all: all, selected: selected)
    }

    /// The select's options.
    func options() -> [[String: Any]] {
        all.map { ["number": $0.number, "label": $0.label, "selected": $0.number == selected?.number] }
    }
}

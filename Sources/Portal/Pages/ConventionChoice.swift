import DirectoryBackend
import LDAPProtocol

/// The conventions a person may work in, as the server lets the person see
/// them (R8: a partner administrator its own, a group's responsible those of
/// its groups, the operator every one). A convention named in a URL or a
/// form that is not among them gets the same answer as a missing one.
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
        let entries = try await person.connection.run { client in
            // One page of the server's paged results (the operator sees every convention: the first 500).
            try client.searchPage(
                base: partners, scope: .wholeSubtree, filter: "(objectClass=annConvention)", attributes: ["cn", "annLabel"], sizeLimit: 0,
                controls: [PagedResultsControl(size: 500, cookie: []).control()]
            ).entries
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

import DirectoryBackend
import LDAPProtocol
import LibLDAP

/// The conventions a person may work in, as the server lets the person see
/// them (R8: a partner administrator its own, a group's responsible those of
/// its groups, the operator every one). The operator's are searched for; the
/// others' are read from the person's own entry (`annAdministers`,
/// `annManages`) one by one, the server deciding each read. The list is kept
/// on the person's own connection for a few seconds (`maxAge`) and forgotten
/// when the person posts a form. A convention named in a URL or a form that is not among them gets
/// the same answer as a missing one.
struct ConventionChoice: Sendable {
    struct Convention: Sendable {
        let dn: String
        let number: String
        let label: String
    }

    let all: [Convention]
    let selected: Convention?

    /// The operator's list is one search bounded by the server's size limit.
    static let operatorLimit = 1000

    /// The list as the person sees it, reused for `maxAge` seconds (`PortalConfiguration.conventionsKeptSeconds`).
    static func load(_ person: PersonSession, endpoint: DirectoryEndpoint, wanted: String?, maxAge: Double) async throws -> ConventionChoice {
        let all: [Convention]
        if let cached = person.connection.cachedConventions(maxAge: maxAge) {
            all = cached
        } else {
            all = try await read(person, endpoint: endpoint)
            person.connection.storeConventions(all)
        }
        let selected = wanted.map { wanted in all.first { $0.number == wanted } } ?? (all.count >= 1 ? all.first : nil)
        return ConventionChoice(all: all, selected: selected)
    }

    private static func read(_ person: PersonSession, endpoint: DirectoryEndpoint) async throws -> [Convention] {
        let partners = endpoint.partners
        let entries: [SearchResultEntry]
        if person.profile.role == .operator {
            entries = try await person.connection.boundedSearch(BatchSearch(
                base: partners, scope: .wholeSubtree, filter: "(objectClass=annConvention)", attributes: ["cn", "annLabel"],
                sizeLimit: operatorLimit)).entries
        } else {
            // Anyone else works in the conventions it administers and those of the groups it is
            // responsible for (a group lies right below its convention), as its own entry says now:
            // read one by one in one round trip, the server still deciding what may be read (with
            // the delegation it resolved when the person logged in), rather than searched for among
            // every partner's.
            let own = try await person.connection.searchBatch([.read(person.profile.dn, attributes: ["annAdministers", "annManages"])])
            guard let entry = try own.first?.get().entries.first else { return [] }
            let administered = entry.values(of: "annAdministers").map { String(decoding: $0, as: UTF8.self) }
            let managed = entry.values(of: "annManages").map { String(decoding: $0, as: UTF8.self) }
            var seen = Set<String>()
            let candidates = (administered + managed.map(LDAPText.parent(of:)))
                .filter { !$0.isEmpty && LDAPText.isWithin($0, partners) && seen.insert($0.lowercased()).inserted }
            let found = try await person.connection.searchBatch(candidates.map { .read($0, attributes: ["objectClass", "cn", "annLabel"]) })
            entries = try found.compactMap { result -> SearchResultEntry? in
                switch result {
                case .success(let read): return read.entries.first
                case .failure(let refusal) where refusal.code == .noSuchObject: return nil
                case .failure(let refusal): throw refusal
                }
            }.filter { entry in entry.values(of: "objectClass").contains { String(decoding: $0, as: UTF8.self).lowercased() == "annconvention" } }
        }
        return entries.map { entry in
            Convention(
                dn: entry.objectName,
                number: entry.values(of: "cn").first.map { String(decoding: $0, as: UTF8.self) } ?? LDAPText.leafValue(of: entry.objectName),
                label: entry.values(of: "annLabel").first.map { String(decoding: $0, as: UTF8.self) } ?? "")
        }.sorted { $0.number < $1.number }
    }

    /// The select's options.
    func options() -> [[String: Any]] {
        all.map { ["number": $0.number, "label": $0.label, "selected": $0.number == selected?.number] }
    }
}

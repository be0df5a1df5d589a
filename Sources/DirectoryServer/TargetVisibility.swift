import DirectoryBackend
import Foundation
import Habilitations
import LDAPProtocol
import NIOConcurrencyHelpers

/// R8: an entry a client may not read answers exactly as an entry that does not
/// exist, for every operation: `noSuchObject` (32), no diagnostic, and as matched
/// DN the deepest ancestor the client may see (RFC 4511 §4.1.9), never one it
/// may not. The front-end serves only the suffix, the root DSE and the subschema
/// entry: any other name is missing too, for everyone.
///
/// An entry is *readable* when it matches the principal's scope (`AccessPolicy.scope`);
/// a search base is *visible* when it or anything below it is readable, or when it
/// is the suffix or one of the containers right below it, which every bound client knows.
struct TargetVisibility: Sendable {
    let store: any DirectoryStore
    let policy: AccessPolicy
    let suffix: DistinguishedName?

    init(context: RequestContext) {
        store = context.store
        policy = context.policy
        suffix = context.configuration.suffixName
    }

    /// Whether a name lies in the served suffix (the suffix itself included).
    func isServed(_ dn: String) -> Bool {
        Self.levels(of: dn, below: suffix) != nil
    }

    /// How many RDNs a name has below the suffix (0: the suffix); nil outside it, or not a DN.
    private static func levels(of dn: String, below suffix: DistinguishedName?) -> Int? {
        guard let suffix, let name = try? DistinguishedName(dn), name.isWithin(suffix) else { return nil }
        return name.rdns.count - suffix.rdns.count
    }

    /// Throws the missing-entry answer unless the principal may read the entry itself.
    func requireReadable(_ dn: String, by principal: Principal?) async throws {
        guard isServed(dn) else { throw Self.missing(matchedDN: "") }
        guard let principal, let scope = policy.scope(of: principal) else { return }
        if policy.isPublicEntry(dn) { return }
        if try await matches(dn, scope: scope, subtree: false) { return }
        throw await missing(dn, scope: scope)
    }

    /// Throws the missing-entry answer unless the base, or something below it, is readable.
    func requireVisibleBase(_ dn: String, by principal: Principal) async throws {
        guard isServed(dn) else { throw Self.missing(matchedDN: "") }
        guard let scope = policy.scope(of: principal) else { return }
        if isSkeleton(dn) { return }
        if try await matches(dn, scope: scope, subtree: true) { return }
        throw await missing(dn, scope: scope)
    }

    /// Whether a search base is visible without asking slapd: it is served and the principal sees
    /// everything (`unrestricted`, the operator) or it is the suffix or a container right below it.
    /// False says only that `requireVisibleBase` must decide (`InlineRequestHandler`).
    static func isVisibleWithoutAsking(_ dn: String, unrestricted: Bool, suffix: DistinguishedName?) -> Bool {
        guard let levels = levels(of: dn, below: suffix) else { return false }
        return unrestricted || levels <= 1
    }

    /// The answer for a name the principal may not see (or that does not exist), with the deepest visible ancestor.
    func missing(_ dn: String, by principal: Principal) async -> LDAPOperationError {
        guard isServed(dn) else { return Self.missing(matchedDN: "") }
        guard let scope = policy.scope(of: principal) else { return Self.missing(matchedDN: "") }
        return await missing(dn, scope: scope)
    }

    private func missing(_ dn: String, scope: SearchFilter) async -> LDAPOperationError {
        var candidate = dn
        while let parent = Self.parentDN(of: candidate), isServed(parent) {
            candidate = parent
            // Nothing lies deeper than a membership: such ancestors are missing without asking slapd,
            // so a DN of thousands of RDNs costs at most a few searches.
            if let suffix, let name = try? DistinguishedName(candidate), name.rdns.count > suffix.rdns.count + Self.deepestLevel { continue }
            if isSkeleton(candidate) { return Self.missing(matchedDN: candidate) }
            if (try? await matches(candidate, scope: scope, subtree: true)) == true { return Self.missing(matchedDN: candidate) }
        }
        return Self.missing(matchedDN: "")
    }

    /// The DN one RDN up, spelled as in `dn`; nil at the top.
    static func parentDN(of dn: String) -> String? {
        let parent = DistinguishedName.parent(of: dn)
        return parent.isEmpty ? nil : parent
    }

    /// How many RDNs below the suffix the deepest entry lies (a membership:
    /// ou=partners, partner, convention, group, membership).
    static let deepestLevel = 5

    static func missing(matchedDN: String) -> LDAPOperationError {
        LDAPOperationError(.noSuchObject, "", matchedDN: matchedDN)
    }

    /// The suffix and the containers right below it (`ou=people`, `ou=partners`…).
    private func isSkeleton(_ dn: String) -> Bool {
        Self.levels(of: dn, below: suffix).map { $0 <= 1 } ?? false
    }

    /// Whether the entry (or, for `subtree`, anything at or below it) matches the scope, as slapd evaluates it.
    private func matches(_ dn: String, scope: SearchFilter, subtree: Bool) async throws -> Bool {
        let query = SearchQuery(
            base: dn, scope: subtree ? .wholeSubtree : .baseObject, filter: try scope.rfc4515String(), attributes: ["1.1"], sizeLimit: 1)
        let found = NIOLockedValueBox(false)
        let (result, _) = try await store.search(query, controls: [], on: nil) { events in
            if events.contains(where: { if case .entry = $0 { true } else { false } }) { found.withLockedValue { $0 = true } }
        }
        switch result.code {
        case .success, .sizeLimitExceeded: return found.withLockedValue { $0 }
        case .noSuchObject: return false
        default: throw LDAPOperationError(result.code, result.diagnosticMessage)
        }
    }
}

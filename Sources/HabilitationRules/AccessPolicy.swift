public import LDAPProtocol

/// Who may read what through the LDAP front-end (R8 for reads): anonymous
/// clients read only the root DSE and the subschema entry; the operator reads
/// everything; a partner administrator reads its partner, the conventions it
/// administers and everything below them, their users, the service catalogue
/// and itself; a group's responsible reads itself, the service catalogue, the
/// convention entries of the groups it manages, those groups and the
/// memberships below them, the users they effectively hold (`memberOf`) and
/// the history events of those groups and memberships (R11);
/// an application account reads the users habilitated for its services and the
/// groups that give roles on them; a person reads only itself.
/// Compare follows the same visibility. Out-of-scope entries are invisible:
/// the scope is ANDed to the client's filter, so slapd never returns them
/// and paging and size limits count only what the client may see. Nobody
/// reads, compares or filters on a password attribute. Changes are decided
/// by `HabilitationService`.
public struct AccessPolicy: Sendable {
    /// The identity a session is bound as (RFC 4513 §5).
    public enum Identity: Sendable, Hashable {
        case anonymous
        case user(Principal)

        public var dn: String? {
            if case .user(let principal) = self { principal.dn } else { nil }
        }
    }

    /// Attributes that are never returned, compared nor usable in a filter.
    public static let protectedAttributes: Set<String> = Set(["userpassword", "2.5.4.35", "pwdhistory"])
        .union(recoveryAttributes)

    /// The password recovery token's attributes (R6), by name and OID: kept by the server, never read,
    /// compared, filtered on or written by a client (a writer could plant a token it knows).
    public static let recoveryAttributes: Set<String> = [
        AttributeName.recoveryTokenHash.lowercased(), "2.25.309896955993207786281445528786519232768.1.30",
        AttributeName.recoveryExpiry.lowercased(), "2.25.309896955993207786281445528786519232768.1.31",
    ]

    public let layout: DirectoryLayout

    public init(layout: DirectoryLayout = DirectoryLayout()) {
        self.layout = layout
    }

    // MARK: Reading

    /// Checks a search of the directory's data (not the root DSE or the
    /// schema); returns the filter that limits it to what the identity may
    /// see, to AND with the client's (nil: no limit).
    public func authorizeDataSearch(_ request: SearchRequest, by identity: Identity) throws -> SearchFilter? {
        let principal = try authenticated(identity)
        try checkFilter(request.filter, by: principal)
        return scope(of: principal)
    }

    /// A filter a client sends (a search's, an assertion control's): it may not test a password
    /// attribute, nor, but for the operator, match "any attribute" (an extensible match naming no
    /// type reaches the password attributes too, RFC 4511 §4.5.1.7.7). Types are canonical here
    /// (`RequestCanonicalizer`), so `2.5.4.35` is `userPassword`.
    public func checkFilter(_ filter: SearchFilter, by principal: Principal) throws {
        for attribute in filter.attributeDescriptions where Self.isProtected(attribute) {
            throw LDAPOperationError(
                .insufficientAccessRights,
                "filters may not test \(attribute): passwords are checked only by a bind"
            )
        }
        if !principal.isOperator, filter.hasUntypedExtensibleMatch {
            throw RuleViolation.delegation(.r8ExtensibleMatchNamed)
        }
    }

    /// A sort key (RFC 2891) orders by a value: a password attribute would be an oracle.
    public func checkSortKey(_ attribute: String) throws {
        if Self.isProtected(attribute) {
            throw RuleViolation.delegation(.r8NoPasswordSort, ["attribute": attribute])
        }
    }

    /// The entries a principal may read, as a filter slapd evaluates (nil: all).
    public func scope(of principal: Principal) -> SearchFilter? {
        let me = SearchFilter.equality("entryDN", Array(principal.dn.utf8))
        func subtree(_ dn: String) -> SearchFilter {
            .extensible(matchingRule: "dnSubtreeMatch", type: "entryDN", value: Array(dn.utf8), dnAttributes: false)
        }
        switch principal.role {
        case .operator:
            return nil
        case .person:
            return me
        case .partnerAdministrator(let conventions):
            var scope: [SearchFilter] = [me, subtree(layout.services)]
            for convention in conventions.sorted(by: { $0.description < $1.description }) {
                scope.append(subtree(convention.description))
                scope.append(.equality("entryDN", Array(convention.ancestor(1).description.utf8)))
                scope.append(.equality(AttributeName.convention, Array(convention.description.utf8)))
            }
            // Also the responsible of groups elsewhere: it keeps that view too.
            let elsewhere = principal.managedGroups.filter { group in !conventions.contains { group.isBelow($0) } }
            return .or(scope + managedScope(elsewhere))
        case .groupResponsible(let groups):
            return .or([me, subtree(layout.services)] + managedScope(groups))
        case .serviceAccount(let services):
            // Users holding a role on one of its services, through an effective group (R1),
            // and the groups holding such a role (their `member` lists only effective members, R5).
            var scope: [SearchFilter] = [me]
            for service in services.sorted(by: { $0.description < $1.description }) {
                scope.append(.and([
                    .equality("objectClass", Array("inetOrgPerson".utf8)),
                    .extensible(matchingRule: "dnSubtreeMatch", type: AttributeName.habilitation, value: Array(service.description.utf8), dnAttributes: false),
                ]))
                scope.append(.and([
                    .equality("objectClass", Array(ObjectClassName.group.utf8)),
                    .extensible(matchingRule: "dnSubtreeMatch", type: AttributeName.role, value: Array(service.description.utf8), dnAttributes: false),
                ]))
            }
            return .or(scope)
        }
    }

    /// What a group's responsible reads of the groups it manages (R8): the convention entry of each
    /// (read-only), each group and the memberships below it (any status: who was, is or will be
    /// attached), and the users the group effectively holds, by their `memberOf`. A person whose
    /// membership is pending or closed, or who is closed, is not in `memberOf` and so not visible:
    /// a filter cannot follow a membership's `annMember` to the person, so its membership entry
    /// (`annMemberUid`, `annMember`) is what the responsible sees of it.
    public func managedScope(_ groups: Set<DistinguishedName>) -> [SearchFilter] {
        var scope: [SearchFilter] = []
        for convention in Set(groups.map { $0.ancestor(1) }).sorted(by: { $0.description < $1.description }) {
            scope.append(.equality("entryDN", Array(convention.description.utf8)))
        }
        for group in groups.sorted(by: { $0.description < $1.description }) {
            scope.append(.extensible(matchingRule: "dnSubtreeMatch", type: "entryDN", value: Array(group.description.utf8), dnAttributes: false))
            scope.append(.equality("memberOf", Array(group.description.utf8)))
            // R11: the history of the group and of its memberships.
            scope.append(.and([
                .equality("objectClass", Array(ObjectClassName.event.utf8)),
                .extensible(matchingRule: "dnSubtreeMatch", type: AttributeName.target, value: Array(group.description.utf8), dnAttributes: false),
            ]))
        }
        return scope
    }

    /// R10: a base-scope read of the usage rules or the legal warning, which
    /// anyone may do, bound or not (a client shows them before the login).
    public func isPublicRead(_ request: SearchRequest) -> Bool {
        request.scope == .baseObject && isPublicEntry(request.baseObject)
    }

    /// Whether anyone may read this entry (R10: the usage rules, the legal warning, the help desk).
    public func isPublicEntry(_ dn: String) -> Bool {
        guard let name = try? DistinguishedName(dn) else { return false }
        return [layout.usageRules, layout.legalWarning, layout.helpDesk].contains { (try? DistinguishedName($0)) == name }
    }

    /// Removes protected attributes from an entry about to be returned.
    public func redact(_ entry: inout SearchResultEntry) {
        entry.attributes.removeAll { Self.isProtected($0.type) }
    }

    public func authorizeCompare(dn: String, attribute: String, by identity: Identity) throws {
        let principal = try authenticated(identity)
        if Self.isProtected(attribute) {
            throw RuleViolation.delegation(.r8NoPasswordCompare, ["attribute": attribute])
        }
        if case .person = principal.role, try DistinguishedName(dn) != principal.name {
            throw LDAPOperationError(.noSuchObject, "")
        }
    }

    // MARK: Helpers

    public func authenticated(_ identity: Identity) throws -> Principal {
        guard case .user(let principal) = identity else {
            throw RuleViolation.delegation(.r8AnonymousReadsLittle)
        }
        return principal
    }

    public static func baseType(_ attribute: String) -> String {
        attribute.split(separator: ";", maxSplits: 1).first.map { $0.lowercased() } ?? ""
    }

    /// Whether `attribute` (options allowed, any case) is one of `protectedAttributes`. Asked for
    /// every attribute of every entry a search returns, so an ASCII name (every name slapd sends, every
    /// name `RequestCanonicalizer` lets through) is compared in place, without a lowercased copy.
    public static func isProtected(_ attribute: String) -> Bool {
        var name = attribute.utf8[...]
        if let semicolon = name.firstIndex(of: UInt8(ascii: ";")) { name = name[..<semicolon] }
        guard name.allSatisfy({ $0 < 0x80 }) else {
            // Unicode case mapping (e.g. the Kelvin sign lowercases to "k"): the slow, general way.
            return protectedAttributes.contains(baseType(attribute))
        }
        return protectedNames.contains { protected in
            protected.count == name.count && zip(protected, name).allSatisfy { $0 == ($1 | ($1 >= 0x41 && $1 <= 0x5A ? 0x20 : 0)) }
        }
    }

    /// `protectedAttributes` as bytes (all lowercase ASCII).
    private static let protectedNames: [[UInt8]] = protectedAttributes.map { Array($0.utf8) }
}

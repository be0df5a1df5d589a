public import LDAPProtocol

/// What an entry is in the domain (docs/domain.md's glossary), from where its DN
/// sits in the tree (README, "Directory tree"):
/// `ou=partners > partner > convention > group > membership`, users under
/// `ou=people`, the catalogue under `ou=services`.
public enum DomainEntryKind: Sendable, Hashable {
    case partnerType
    case partner(DistinguishedName)
    /// A convention, with its partner.
    case convention(partner: DistinguishedName)
    /// A group, with its convention.
    case group(convention: DistinguishedName)
    /// A membership, with its group and convention.
    case membership(group: DistinguishedName, convention: DistinguishedName)
    case service
    case profile(service: DistinguishedName)
    case user
    case operatorAccount
    /// Anything else under the suffix (containers, counters, policies).
    case infrastructure

    public init(_ dn: DistinguishedName, layout: DirectoryLayout) throws {
        let partners = try DistinguishedName(layout.partners)
        let services = try DistinguishedName(layout.services)
        let depthBelow = { (base: DistinguishedName) in dn.rdns.count - base.rdns.count }
        if dn.isBelow(partners) {
            let parents = (1...depthBelow(partners)).map { dn.ancestor($0) }
            switch depthBelow(partners) {
            case 1: self = .partner(dn)
            case 2: self = .convention(partner: parents[0])
            case 3: self = .group(convention: parents[0])
            case 4: self = .membership(group: parents[0], convention: parents[1])
            default: self = .infrastructure
            }
        } else if dn.isBelow(services) {
            self = depthBelow(services) == 1 ? .service : .profile(service: dn.ancestor(1))
        } else if dn.isBelow(try DistinguishedName(layout.people)) {
            self = .user
        } else if dn.isBelow(try DistinguishedName(layout.operators)) {
            self = .operatorAccount
        } else if dn.isBelow(try DistinguishedName(layout.partnerTypes)) {
            self = .partnerType
        } else {
            self = .infrastructure
        }
    }
}

extension DomainEntryKind {
    /// Whether this is a membership (R5) entry.
    public var isMembership: Bool {
        if case .membership = self { true } else { false }
    }
}

extension DistinguishedName {
    /// The DN `levels` RDNs up (1: the parent).
    public func ancestor(_ levels: Int) -> DistinguishedName {
        var copy = self
        copy.dropLeading(levels)
        return copy
    }
}

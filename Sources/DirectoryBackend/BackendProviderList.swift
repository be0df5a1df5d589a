import Foundation

/// The ordered list of OpenLDAP providers `annuaire serve --backend URI[,URI…]` is given
/// (issue #19, several machines): every front-end gets the same list, so while all providers
/// are up every front-end writes to the same one, the first; when it cannot be reached, to
/// the next. The order is the failover order, not a load-balancing set.
///
/// libldap does the ordered connection itself: `ldap_initialize(3)` takes a space-separated
/// list of URIs and each new connection is made to the first one that answers, so a handle
/// that lost its provider is reopened on the next one (`ConnectionPool`), and a write that
/// was in flight on the lost connection is answered `unavailable` (52, RFC 4511 §4.1.9),
/// never silently sent again.
public struct BackendProviderList: Sendable, Equatable, CustomStringConvertible {
    /// The providers in failover order.
    public let uris: [String]

    /// Why a `--backend` value is refused, in words that say what to change.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    /// Parses `ldap://p1:389,ldap://p2:389` (commas, optionally followed by spaces).
    public init(parsing text: String) throws(Problem) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        var uris: [String] = []
        for part in parts {
            guard !part.isEmpty else {
                throw Problem("--backend has an empty URI in \"\(text)\": give the providers as URI,URI,… with no empty item")
            }
            guard !part.contains(where: \.isWhitespace) else {
                throw Problem("--backend URI \"\(part)\" contains a space: separate the providers with commas")
            }
            let lowered = part.lowercased()
            guard ["ldap://", "ldaps://", "ldapi://"].contains(where: { lowered.hasPrefix($0) }) else {
                throw Problem("--backend URI \"\(part)\" is not an ldap://, ldaps:// or ldapi:// URL")
            }
            guard !uris.contains(where: { $0.lowercased() == lowered }) else {
                throw Problem("--backend names \(part) twice: each provider once, in failover order")
            }
            uris.append(part)
        }
        self.uris = uris
    }

    public init(uris: [String]) {
        self.uris = uris
    }

    /// The form `ldap_initialize(3)` takes: the URIs separated by spaces, tried in order.
    public var libldapURI: String { uris.joined(separator: " ") }

    /// More than one provider: a replicated directory (failover, identifier blocks, the lease).
    public var isReplicated: Bool { uris.count > 1 }

    public var description: String { uris.joined(separator: ",") }
}

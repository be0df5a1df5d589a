import NIOConcurrencyHelpers

/// The providers new connections try, in order (issue #19): the `--backend` list, minus the
/// providers `ProviderWatch` found silent. libldap passes over a provider that refuses or resets
/// the connection, but not one that accepts it and never answers (a frozen slapd, a network
/// cut that drops packets): its bind would hold the connection, and the write waiting for it,
/// until that provider answers again. So while the watch finds a provider silent, it is left
/// out of the list new handles are opened on; it comes back when it answers and has caught up.
public final class ProviderSelection: Sendable {
    private let current: NIOLockedValueBox<String>

    /// `uri`: libldap's form of the list (`BackendProviderList.libldapURI`).
    public init(_ uri: String) {
        current = NIOLockedValueBox(uri)
    }

    /// The space-separated URIs new connections try, in order.
    public var uri: String { current.withLockedValue { $0 } }

    public func set(_ uri: String) {
        current.withLockedValue { $0 = uri }
    }
}

#if canImport(Glibc)
import Glibc
private let descriptorResource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
#elseif canImport(Darwin)
import Darwin
private let descriptorResource = RLIMIT_NOFILE
#endif

/// How the process's file descriptors (`RLIMIT_NOFILE`) are shared, so that
/// clients can never use them all: each client connection takes one, each
/// open paged search sequence one more (its own slapd connection), and
/// `reserved` stay for everything else (the slapd pool, listeners, the data
/// folder's and mail's files, the metrics endpoint, and room to accept a
/// connection over the limit and tell it `busy`). The connection and paged
/// sequence limits are derived from what is left; a configured connection
/// limit above it is lowered.
public struct DescriptorBudget: Sendable, Equatable {
    /// Descriptors kept out of the clients' reach.
    public static let reserved = 256
    /// Most paged search sequences open at once, however many descriptors there are.
    public static let pagedSearchCeiling = 1024

    /// The process's descriptor limit this budget shares.
    public let descriptorLimit: Int
    public let maximumConnections: Int
    public let maximumPagedSearches: Int

    /// Shares `descriptorLimit`: a quarter of what is not reserved (at most `pagedSearchCeiling`) for
    /// paged sequences, the rest for connections, at most `requestedConnections`.
    public init(descriptorLimit: Int, requestedConnections: Int) {
        self.descriptorLimit = descriptorLimit
        let usable = max(16, descriptorLimit - Self.reserved)
        maximumPagedSearches = max(4, min(Self.pagedSearchCeiling, usable / 4))
        maximumConnections = max(1, min(requestedConnections, usable - maximumPagedSearches))
    }

    /// The process's descriptor limit, first raised to its hard limit (as slapd and most servers
    /// would need anyway; the embedded slapd started afterwards inherits it).
    public static func raisedProcessLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(descriptorResource, &limit) == 0 else { return 1024 }
        let ceiling: rlim_t = 1 << 20
        let wanted = min(limit.rlim_max, ceiling)
        if limit.rlim_cur < wanted {
            var raised = limit
            raised.rlim_cur = wanted
            if setrlimit(descriptorResource, &raised) == 0 { limit = raised }
        }
        return Int(min(limit.rlim_cur, ceiling))
    }
}

import NIOConcurrencyHelpers
import LDAPProtocol

/// A thread-safe accumulator for the entries of a search.
final class EntryCollector: Sendable {
    private let box = NIOLockedValueBox<[SearchResultEntry]>([])
    func append(_ entry: SearchResultEntry) { box.withLockedValue { $0.append(entry) } }
    var entries: [SearchResultEntry] { box.withLockedValue { $0 } }
}

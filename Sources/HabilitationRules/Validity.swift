public import Foundation

/// Open and close dates (R2, R4, R5, R7): an entry is in force from its open
/// date (inclusive) until its close date (exclusive).
public struct Validity: Sendable, Hashable {
    public var open: Date?
    public var close: Date?

    public init(open: Date?, close: Date?) {
        self.open = open
        self.close = close
    }

    public init(_ entry: EntrySnapshot) {
        open = entry.value(AttributeName.openDate).flatMap(GeneralizedTime.date)
        close = entry.value(AttributeName.closeDate).flatMap(GeneralizedTime.date)
    }

    public func isOpen(at date: Date) -> Bool {
        if let open, date < open { return false }
        if let close, date >= close { return false }
        return true
    }

    /// The derived status stored in `annStatus`: open, pending (not yet open) or closed (R7).
    public func status(at date: Date) -> EntryStatus {
        if let close, date >= close { return .closed }
        if let open, date < open { return .pending }
        return .open
    }
}

public import Foundation
import NIOConcurrencyHelpers

/// The time the rules are evaluated at (R5, R7: memberships, users, groups
/// and conventions open and close by date). Injected, so that tests move time
/// instead of sleeping.
public protocol HabilitationClock: Sendable {
    var now: Date { get }
}

/// The system's clock.
public struct SystemClock: HabilitationClock {
    public init() {}
    public var now: Date { Date() }
}

/// A clock that moves only when told (tests).
public final class ManualClock: HabilitationClock {
    private let current: NIOLockedValueBox<Date>
    public init(_ date: Date) { current = NIOLockedValueBox(date) }
    public var now: Date { current.withLockedValue { $0 } }
    public func set(_ date: Date) { current.withLockedValue { $0 = date } }
    public func advance(by interval: TimeInterval) { current.withLockedValue { $0 += interval } }
}

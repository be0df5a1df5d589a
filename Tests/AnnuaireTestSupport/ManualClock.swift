public import Foundation
public import Habilitations
import NIOConcurrencyHelpers

/// A clock that moves only when told, for the tests of R5, R6 and R7 at
/// their boundaries. It lives in the test support target, so no production
/// configuration can reach it: `annuaire serve` always runs on the system clock.
public final class ManualClock: HabilitationClock {
    private let current: NIOLockedValueBox<Date>
    public init(_ date: Date) { current = NIOLockedValueBox(date) }
    public var now: Date { current.withLockedValue { $0 } }
    public func set(_ date: Date) { current.withLockedValue { $0 = date } }
    public func advance(by interval: TimeInterval) { current.withLockedValue { $0 += interval } }
}

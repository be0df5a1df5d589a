public import Foundation

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

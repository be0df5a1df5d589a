public import Foundation

/// The portal's notion of now, so that tests move time forward to expire a
/// session (idle and absolute limits) without waiting.
public protocol PortalClock: Sendable {
    var now: Date { get }
}

/// The system's wall clock.
public struct SystemPortalClock: PortalClock {
    public init() {}
    public var now: Date { Date() }
}

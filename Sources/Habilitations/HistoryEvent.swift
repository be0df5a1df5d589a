public import Foundation
public import LDAPProtocol

/// One recorded change (R11): who did what to which entry, when, in which
/// conventions — written in the same transaction as the change itself, under
/// `ou=history`, and readable by the operator and by the administrators of
/// those conventions (the R8 read scope matches their `annConvention`).
public struct HistoryEvent: Sendable {
    public var actor: String
    public var action: String
    public var target: String
    public var time: Date
    public var conventions: [String]

    public init(actor: String, action: String, target: String, time: Date, conventions: [String]) {
        self.actor = actor
        self.action = action
        self.target = target
        self.time = time
        self.conventions = conventions
    }

    /// The entry that records it.
    public func entry(layout: DirectoryLayout) -> (dn: String, attributes: [PartialAttribute]) {
        var generator = SystemRandomNumberGenerator()
        let id = "\(GeneralizedTime.string(time).dropLast())-\(String(UInt64.random(in: 0...UInt64.max, using: &generator), radix: 36))"
        var attributes = [
            PartialAttribute(type: "objectClass", strings: ["annEvent"]),
            PartialAttribute(type: "annEventId", strings: [id]),
            PartialAttribute(type: "annActor", strings: [actor]),
            PartialAttribute(type: "annAction", strings: [action]),
            PartialAttribute(type: "annTarget", strings: [target]),
            PartialAttribute(type: "annTime", strings: [GeneralizedTime.string(time)]),
        ]
        if !conventions.isEmpty { attributes.append(PartialAttribute(type: "annConvention", strings: conventions)) }
        return ("annEventId=\(id),\(layout.history)", attributes)
    }
}

extension HabilitationService {
    /// Records a change made outside a transaction of the service (a password reset, a resent identifier).
    public func record(_ action: String, target: String, by principal: Principal) async throws {
        let conventions = try await store.read(target, attributes: ["annConvention"])?.values(of: "annConvention")
            .map { String(decoding: $0, as: UTF8.self) } ?? []
        let event = HistoryEvent(actor: principal.dn, action: action, target: target, time: clock.now, conventions: conventions).entry(layout: layout)
        try await store.add(dn: event.dn, attributes: event.attributes, controls: [])
    }
}

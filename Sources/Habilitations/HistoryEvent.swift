public import Foundation
public import LDAPProtocol

/// One recorded change (R11): who did what to which entry, when, in which
/// conventions — written in the same transaction as the change itself, under
/// `ou=history`, and readable by the operator and by the administrators of
/// those conventions (the R8 read scope matches their `annConvention`).
/// It says what changed (`annChange`: each attribute with its old and new
/// values, never a secret) and whom it concerns besides its target
/// (`annConcerns`: the member of a membership), so that a person's history
/// lists its memberships' events too.
public struct HistoryEvent: Sendable {
    public var actor: String
    public var action: String
    public var target: String
    public var time: Date
    public var conventions: [String]
    public var changes: [HistoryChange]
    public var concerns: [String]

    public init(
        actor: String, action: String, target: String, time: Date, conventions: [String], changes: [HistoryChange] = [], concerns: [String] = []
    ) {
        self.actor = actor
        self.action = action
        self.target = target
        self.time = time
        self.conventions = conventions
        self.changes = changes
        self.concerns = concerns
    }

    /// The entry that records it.
    public func entry(layout: DirectoryLayout) -> (dn: String, attributes: [PartialAttribute]) {
        var generator = SystemRandomNumberGenerator()
        let id = "\(GeneralizedTime.string(time).dropLast())-\(String(UInt64.random(in: 0...UInt64.max, using: &generator), radix: 36))"
        var attributes = [
            PartialAttribute(type: "objectClass", strings: [ObjectClassName.event]),
            PartialAttribute(type: AttributeName.eventId, strings: [id]),
            PartialAttribute(type: AttributeName.actor, strings: [actor]),
            PartialAttribute(type: AttributeName.action, strings: [action]),
            PartialAttribute(type: AttributeName.target, strings: [target]),
            PartialAttribute(type: AttributeName.time, strings: [GeneralizedTime.string(time)]),
        ]
        if !conventions.isEmpty { attributes.append(PartialAttribute(type: AttributeName.convention, strings: conventions)) }
        let recorded = changes.filter { HistoryChange.recordable($0.attribute) }.map(\.stored)
        if !recorded.isEmpty { attributes.append(PartialAttribute(type: AttributeName.change, strings: recorded)) }
        let concerned = concerns.filter { $0.lowercased() != target.lowercased() }
        if !concerned.isEmpty { attributes.append(PartialAttribute(type: AttributeName.concerns, strings: concerned)) }
        return ("annEventId=\(id),\(layout.history)", attributes)
    }
}

extension HabilitationService {
    /// Records a change made outside a transaction of the service (a password reset, a resent identifier).
    public func record(_ action: String, target: String, by principal: Principal) async throws {
        try await record(action, target: target, actor: principal.dn)
    }

    /// Records an event with the actor's DN (the person itself for its own password change or recovery request).
    public func record(_ action: String, target: String, actor: String, changes: [HistoryChange] = []) async throws {
        let conventions = try await store.read(target, attributes: [AttributeName.convention])?.values(of: AttributeName.convention)
            .map { String(decoding: $0, as: UTF8.self) } ?? []
        let event = HistoryEvent(actor: actor, action: action, target: target, time: clock.now, conventions: conventions, changes: changes)
            .entry(layout: layout)
        try await store.add(dn: event.dn, attributes: event.attributes, controls: [])
    }
}

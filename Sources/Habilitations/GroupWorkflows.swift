public import Foundation
public import LDAPProtocol

/// The group screen after creation as server-side calls (issue #16, item 2),
/// for in-process front-ends such as the portal; the CLI and LDAP clients
/// send the same Modify. Each goes through `modify`, so R2, R3, R7 and R8
/// are checked, the derived state follows and the history records old and
/// new values (R11).
public struct GroupChange: Sendable, Hashable {
    public var label: String?
    /// Profile DNs to assign (R3: granted by the convention).
    public var addedRoles: [String] = []
    public var removedRoles: [String] = []
    public var responsible: String?
    /// `.some(nil)`: no parent any more (a level-1 group).
    public var parent: String??
    public var openDate: Date?
    /// `.some(nil)`: no close date any more.
    public var closeDate: Date??

    public init() {}

    /// The Modify's changes (replace with no value removes, whether or not the attribute is there).
    public var changes: [ModifyRequest.Change] {
        var changes: [ModifyRequest.Change] = []
        func replace(_ type: String, _ values: [String]) {
            changes.append(ModifyRequest.Change(operation: .replace, modification: PartialAttribute(type: type, strings: values)))
        }
        if let label { replace(AttributeName.label, [label]) }
        if let responsible { replace(AttributeName.responsible, [responsible]) }
        if let parent { replace(AttributeName.parentGroup, parent.map { [$0] } ?? []) }
        if let openDate { replace(AttributeName.openDate, [GeneralizedTime.string(openDate)]) }
        if let closeDate { replace(AttributeName.closeDate, closeDate.map { [GeneralizedTime.string($0)] } ?? []) }
        if !addedRoles.isEmpty {
            changes.append(ModifyRequest.Change(operation: .add, modification: PartialAttribute(type: AttributeName.role, strings: addedRoles)))
        }
        if !removedRoles.isEmpty {
            changes.append(ModifyRequest.Change(operation: .delete, modification: PartialAttribute(type: AttributeName.role, strings: removedRoles)))
        }
        return changes
    }
}

extension HabilitationService {
    /// R2, R3: changes a group's roles, label, dates, responsible and parent in one write.
    public func changeGroup(_ dn: String, _ change: GroupChange, by principal: Principal) async throws {
        let changes = change.changes
        guard !changes.isEmpty else { return }
        _ = try await modify(dn: dn, changes: changes, by: principal, controls: [])
    }

    /// R7: closes a group from `date` (today when nil): its memberships stop counting then.
    public func closeGroup(_ dn: String, on date: Date? = nil, by principal: Principal) async throws {
        var change = GroupChange()
        change.closeDate = .some(date ?? GeneralizedTime.startOfDay(clock.now))
        try await changeGroup(dn, change, by: principal)
    }

    /// R7: reopens a group (no close date).
    public func reopenGroup(_ dn: String, by principal: Principal) async throws {
        var change = GroupChange()
        change.closeDate = .some(nil)
        try await changeGroup(dn, change, by: principal)
    }
}

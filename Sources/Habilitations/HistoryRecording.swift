import Foundation

/// What the event of a rule-checked write records beyond who, what and when
/// (R11): the action when it is more than the LDAP operation (close, reopen,
/// reattach), the attributes changed with their old and new values, and the
/// persons concerned besides the target (a membership's member).
struct HistoryRecording: Sendable {
    /// nil: the operation's own name (add, modify, delete).
    var action: HistoryAction?
    var changes: [HistoryChange]
    var concerns: [String]

    /// A Modify: what changed between the entry as it was and as it will be; closing and reopening named (R7).
    static func modify(
        _ before: EntrySnapshot, _ after: EntrySnapshot, at now: Date, as action: HistoryAction? = nil, concerns: [String] = []
    ) -> HistoryRecording {
        HistoryRecording(
            action: action ?? HistoryAction.ofModify(before: before, after: after, at: now),
            changes: HistoryChange.between(before, after), concerns: concerns)
    }

    /// Without a recording from the caller: an add records the values it sets, and its member when it is a membership.
    static func `default`(for write: HabilitationService.Write) -> HistoryRecording {
        switch write {
        case .add(let entry):
            HistoryRecording(action: nil, changes: HistoryChange.between(nil, entry), concerns: entry.values(AttributeName.member))
        case .modify, .delete:
            HistoryRecording(action: nil, changes: [], concerns: [])
        }
    }
}

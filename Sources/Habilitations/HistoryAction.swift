public import Foundation

/// The action names of the history (R11), as stored in `annAction`. Closing
/// and reopening are their own actions (R7), so are a new period of an
/// ended membership (R5), password changes, resets and recovery requests (R6).
public enum HistoryAction: String, Sendable, CaseIterable {
    case add
    case modify
    case delete
    case createUser = "create-user"
    case close
    case reopen
    case reattach
    case resetPassword = "reset-password"
    case resendIdentifier = "resend-identifier"
    case changePassword = "change-password"
    case passwordRecovery = "password-recovery"
    case firstPassword = "first-password"

    /// A modify is a close when it makes an entry that was in force (or waiting) end by `now`, a
    /// reopen when an ended entry is in force again or waiting again; else a modify.
    public static func ofModify(before: EntrySnapshot, after: EntrySnapshot, at now: Date) -> HistoryAction {
        let wasClosed = Validity(before).status(at: now) == .closed
        let isClosed = Validity(after).status(at: now) == .closed
        if !wasClosed && isClosed { return .close }
        if wasClosed && !isClosed { return .reopen }
        // A close date set (or removed) in the future is still a close (or a reopen) announced.
        if before.value(AttributeName.closeDate) == nil, after.value(AttributeName.closeDate) != nil { return .close }
        if before.value(AttributeName.closeDate) != nil, after.value(AttributeName.closeDate) == nil { return .reopen }
        return .modify
    }
}

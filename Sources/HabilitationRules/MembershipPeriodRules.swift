public import Foundation
import LDAPProtocol
import Messages

/// R5 over time: a membership's period is changed only in ways that keep
/// its past true. The open date changes while the membership is pending
/// (not yet started); a closed period is never reopened (a new period is a
/// new attachment: `MembershipPeriods`), and a close date may be set in the
/// future, the membership closing on that date.
public enum MembershipPeriodRules {
    public static func checkChange(before: EntrySnapshot, after: EntrySnapshot, at now: Date) throws {
        let old = Validity(before)
        let new = Validity(after)
        if let close = old.close, close <= now, new.close != old.close {
            throw RuleViolation.constraint(.ruleMembershipReopensClosedPeriod, ["date": GeneralizedTime.display(close)])
        }
        if let open = old.open, open <= now, new.open != old.open {
            throw RuleViolation.constraint(.ruleMembershipOpenDateStarted, ["date": GeneralizedTime.display(open)])
        }
    }
}

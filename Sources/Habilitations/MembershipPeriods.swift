import Foundation
import DirectoryBackend
import LDAPProtocol
import Messages

/// R5 over time: a person whose membership of a group has ended can be
/// attached to the same group again. The membership entry is named by the
/// member's identifier (`annMemberUid=<uid>,<group>`), so the new period
/// takes the place of the ended one in the entry, and the ended period stays
/// in the history: the event (`reattach`) records the old open and close
/// dates beside the new ones. An Add of such a membership, from any LDAP
/// client, is this re-attachment; an Add over a membership that has not
/// ended stays `entryAlreadyExists` (68), with what to do instead.
extension HabilitationService {
    func reattachIfEnded(
        _ name: DistinguishedName, _ entry: EntrySnapshot, by principal: Principal, controls: [LDAPControl]
    ) async throws -> OperationOutcome? {
        guard let found = try await store.read(entry.dn, attributes: [AttributeName.member, AttributeName.memberUid, AttributeName.openDate, AttributeName.closeDate]) else {
            return nil
        }
        let current = EntrySnapshot(found)
        // The group's code as the client spelled it (codes need no escaping, R2).
        let group = entry.dn.split(separator: ",").dropFirst().first.flatMap { $0.split(separator: "=", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? name.ancestor(1).description
        let identifier = current.value(AttributeName.memberUid) ?? name.leafValue(AttributeName.memberUid) ?? ""
        guard let ended = Validity(current).close, ended <= clock.now else {
            throw LDAPOperationError(.entryAlreadyExists, RuleViolation.text(.ruleMembershipStillOpen, ["identifier": identifier, "group": group]))
        }
        if let member = entry.value(AttributeName.member), let currentMember = current.value(AttributeName.member),
           (try? DistinguishedName(member)) != (try? DistinguishedName(currentMember)) {
            throw RuleViolation.constraint(.ruleMembershipMemberFixed, ["member": currentMember])
        }
        // The new period starts when the old one ended at the earliest: periods do not overlap.
        if let open = Validity(entry).open, open < ended {
            throw RuleViolation.constraint(.ruleMembershipPeriodsOverlap, ["date": GeneralizedTime.display(ended)])
        }
        var changes = [ModifyRequest.Change(operation: .replace, modification: PartialAttribute(type: AttributeName.openDate, strings: entry.values(AttributeName.openDate)))]
        changes.append(ModifyRequest.Change(operation: .replace, modification: PartialAttribute(type: AttributeName.closeDate, strings: entry.values(AttributeName.closeDate))))
        return try await unlockedModify(dn: entry.dn, changes: changes, by: principal, controls: controls, reattaching: true)
    }
}

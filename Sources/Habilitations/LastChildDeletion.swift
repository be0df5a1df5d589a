import DirectoryBackend
import Foundation
import LDAPProtocol

/// Works around a second slapd 2.5.13 back-mdb defect: inside an LDAP
/// transaction (RFC 5805), a Delete that leaves its parent without children
/// fails the whole transaction with `other` (80), though the same Delete
/// outside a transaction succeeds (reproduced with ldapmodify alone: a parent
/// with one child, `-E txn=commit` deleting it). A group's only membership, a
/// convention's only group, a person's memberships when it is erased.
///
/// Such an entry is not deleted in the transaction: it is closed there
/// (`annCloseDate` set to its open date, so it never counts: R5, R7), and
/// deleted just after the commit. If that last step fails, what remains is a
/// closed entry, consistent with everything derived; deleting it again works.
extension HabilitationService {
    /// Which of `deletions` would leave their parent without children (the others are deleted in the transaction).
    func lastChildren(among deletions: [String]) async throws -> Set<String> {
        var byParent: [DistinguishedName: [String]] = [:]
        for dn in deletions {
            guard let name = try? DistinguishedName(dn), name.rdns.count > 1 else { continue }
            byParent[name.ancestor(1), default: []].append(dn)
        }
        var last: Set<String> = []
        for (parent, children) in byParent {
            let others = try SearchFilter.not(.or(children.map { .equality("entryDN", Array($0.utf8)) })).rfc4515String()
            let remaining: Bool
            do {
                remaining = !(try await store.searchAll(SearchQuery(base: parent.description, scope: .singleLevel, filter: others, attributes: ["1.1"], sizeLimit: 1))).isEmpty
            } catch let error as LDAPOperationError where error.code == .sizeLimitExceeded {
                remaining = true
            }
            if !remaining { last.formUnion(children) }
        }
        return last
    }

    /// The request that closes, in the transaction, an entry deleted after it. An entry with entries
    /// below it is refused now, as slapd would refuse its Delete (66), not after the commit.
    func closing(_ dn: String) async throws -> PlannedOperation {
        let entry = try await store.read(dn, attributes: [AttributeName.openDate, "hasSubordinates"]).map(EntrySnapshot.init)
        if entry?.value("hasSubordinates")?.uppercased() == "TRUE" {
            throw LDAPOperationError(.notAllowedOnNonLeaf, "\(dn) has entries below it: delete or close them first")
        }
        let date = entry?.value(AttributeName.openDate) ?? GeneralizedTime.string(GeneralizedTime.startOfDay(clock.now))
        return .modify(dn, [.init(operation: .replace, modification: PartialAttribute(type: AttributeName.closeDate, strings: [date]))])
    }

    /// Deletes, after the commit, what the transaction closed instead (children before parents).
    func deleteAfterCommit(_ deferred: [String]) async {
        for dn in deferred {
            do {
                _ = try await store.delete(dn: dn, controls: [])
            } catch {
                logger.error("a closed entry could not be deleted after its transaction; delete it again", metadata: ["dn": "\(dn)", "error": "\(error)"])
            }
        }
    }
}

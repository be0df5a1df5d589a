public import Foundation
import LDAPProtocol

/// Memberships over time as server-side calls (issue #16, item 3), for
/// in-process front-ends such as the portal: the same Add and Modify an LDAP
/// client sends, so R5, R8 and the history behave alike.
extension HabilitationService {
    /// Whether an attachment made a new membership or a new period of an ended one.
    public enum Attachment: Sendable, Hashable {
        case attached
        case reattached
    }

    /// The membership entry of a person in a group; an identifier is letters, digits, '-', '_', '.' (R4), never DN syntax.
    public func membershipDN(of identifier: String, in groupDN: String) throws -> String {
        guard !identifier.isEmpty, identifier.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
            throw RuleViolation.refusal(.invalidDNSyntax, .r5NotAnIdentifier, ["identifier": identifier])
        }
        return "annMemberUid=\(identifier),\(groupDN)"
    }

    /// R5: attaches a person to a group from `open` (today when nil) until `close`; an ended
    /// membership gets a new period, the old one kept in the history.
    @discardableResult
    public func attach(_ identifier: String, to groupDN: String, open: Date? = nil, close: Date? = nil, by principal: Principal) async throws -> Attachment {
        let dn = try membershipDN(of: identifier, in: groupDN)
        let existed = try await store.read(dn, attributes: ["1.1"]) != nil
        var attributes = [
            PartialAttribute(type: "objectClass", strings: [ObjectClassName.membership]),
            PartialAttribute(type: AttributeName.memberUid, strings: [identifier]),
            PartialAttribute(type: AttributeName.member, strings: [layout.user(identifier)]),
        ]
        if let open { attributes.append(PartialAttribute(type: AttributeName.openDate, strings: [GeneralizedTime.string(open)])) }
        if let close { attributes.append(PartialAttribute(type: AttributeName.closeDate, strings: [GeneralizedTime.string(close)])) }
        _ = try await add(dn: dn, attributes: attributes, by: principal, controls: [])
        return existed ? .reattached : .attached
    }

    /// R5: ends a membership on `date` (today when nil, or a future date); an ended period is not reopened.
    public func closeMembership(of identifier: String, in groupDN: String, on date: Date? = nil, by principal: Principal) async throws {
        let close = GeneralizedTime.string(date ?? GeneralizedTime.startOfDay(clock.now))
        _ = try await modify(
            dn: try membershipDN(of: identifier, in: groupDN),
            changes: [ModifyRequest.Change(operation: .replace, modification: PartialAttribute(type: AttributeName.closeDate, strings: [close]))],
            by: principal, controls: [])
    }

    /// R5: moves the open date of a pending membership.
    public func changeMembershipOpenDate(of identifier: String, in groupDN: String, to date: Date, by principal: Principal) async throws {
        _ = try await modify(
            dn: try membershipDN(of: identifier, in: groupDN),
            changes: [ModifyRequest.Change(operation: .replace, modification: PartialAttribute(type: AttributeName.openDate, strings: [GeneralizedTime.string(date)]))],
            by: principal, controls: [])
    }
}

import ArgumentParser
import LDAPProtocol
import Messages

/// The portal's user filters (R8: identifier, last name, first name, group),
/// shared by `user list` and `user export`. Names match their beginning
/// without regard to case or accents; `--group` lists the group's effective
/// members and the people whose membership has not started yet (pending, R5).
struct UserFilterOptions: ParsableArguments {
    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionIdentifierFilter)))
    var identifier: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionLastNameFilter)))
    var lastName: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionFirstNameFilter)))
    var firstName: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionMembersOfGroup)))
    var group: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionConventionWhenSeveral)))
    var convention: String?

    /// The users matching the filters, sorted by identifier, and which of them are only pending members of `--group`.
    func search(_ session: DirectorySession, attributes: [String]) throws -> (entries: [SearchResultEntry], pending: Set<String>) {
        var parts: [SearchFilter] = [.objectClass("annUser")]
        if let identifier { parts.append(LDAPText.startsWith("uid", identifier)) }
        var pending: Set<String> = []
        if let group {
            let groupDN = try session.groupDN(group, convention: convention)
            let waiting = try session.client.search(
                base: groupDN, scope: .singleLevel, filter: .and([.objectClass("annMembership"), LDAPText.equals("annStatus", "pending")]), attributes: ["annMemberUid"])
                .compactMap { $0.string("annMemberUid") }
            pending = Set(waiting.map { $0.lowercased() })
            parts.append(.or([LDAPText.equals("memberOf", groupDN)] + waiting.map { LDAPText.equals("uid", $0) }))
        }
        return (try session.client.search(base: session.people, scope: .singleLevel, filter: LDAPText.and(parts), attributes: attributes)
            .filter { entry in
                (lastName.map { NameMatching.startsWith(entry.string("sn"), $0) } ?? true)
                    && (firstName.map { NameMatching.startsWith(entry.string("givenName"), $0) } ?? true)
            }
            .sorted { ($0.string("uid") ?? "") < ($1.string("uid") ?? "") }, pending)
    }

    /// Why a listing is empty, for the person who asked: the filters it used and what it sees (R8).
    func emptyReason(_ session: DirectorySession, catalogue: Catalogue) -> String {
        var used: [String] = []
        if let identifier { used.append("--identifier \(identifier)") }
        if let lastName { used.append("--last-name \(lastName)") }
        if let firstName { used.append("--first-name \(firstName)") }
        if let group { used.append("--group \(group)") }
        return EmptyListReason.text(session, filters: used, catalogue: catalogue)
    }
}

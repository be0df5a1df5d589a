import ArgumentParser
import LDAPProtocol

/// The portal's user filters (R8: identifier, last name, first name, group),
/// shared by `user list` and `user export`.
struct UserFilterOptions: ParsableArguments {
    @Option(help: "Identifier starts with.")
    var identifier: String?

    @Option(help: "Last name starts with.")
    var lastName: String?

    @Option(help: "First name starts with.")
    var firstName: String?

    @Option(help: "Effective members of this group (code or DN).")
    var group: String?

    @Option(help: "The convention (number), when the group code exists in several.")
    var convention: String?

    /// The users matching the filters, sorted by identifier.
    func search(_ session: DirectorySession, attributes: [String]) throws -> [SearchResultEntry] {
        var parts: [SearchFilter] = [.objectClass("annUser")]
        if let identifier { parts.append(LDAPText.startsWith("uid", identifier)) }
        if let lastName { parts.append(LDAPText.startsWith("sn", lastName)) }
        if let firstName { parts.append(LDAPText.startsWith("givenName", firstName)) }
        if let group { parts.append(LDAPText.equals("memberOf", try session.groupDN(group, convention: convention))) }
        return try session.client.search(base: session.people, scope: .singleLevel, filter: LDAPText.and(parts), attributes: attributes)
            .sorted { ($0.string("uid") ?? "") < ($1.string("uid") ?? "") }
    }
}

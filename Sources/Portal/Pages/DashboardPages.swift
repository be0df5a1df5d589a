import DirectoryBackend
import Foundation
import Hummingbird
import LDAPProtocol
import LibLDAP
import Messages

/// Mes tableaux de bord: a convention at a glance, as searches on what the
/// server keeps up to date (R5, R6, R7): users open and closed, temporary
/// passwords not yet replaced, memberships ending within 30 days, groups
/// without a member. Read as the person logged in (R8: its conventions
/// only), each search bounded by a size limit (RFC 4511 §4.5.1.4), so the
/// page costs the same however large the convention grows: beyond
/// `dashboardLimit` the count says "more than". The five searches are sent at
/// once on the person's connection.
extension Portal {
    static let dashboardLimit = 1000
    static let dashboardListed = 20
    static let dashboardDays = 30

    func dashboard(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, person) = try personSession(request)
        let language = session.language
        let query = query(request)
        let choice: ConventionChoice
        let convention: ConventionChoice.Convention
        switch try await conventionTarget(session, person, wanted: query.text("convention"), template: "dashboard", title: "dashboard.title") {
        case .answered(let response): return response
        case .convention(let found, let selected): (choice, convention) = (found, selected)
        }
        let people = configuration.directory.people
        let inConvention = LDAPText.equals("annConvention", convention.dn)
        let today = PortalDate.today()
        let end = PortalDate.today(Date().addingTimeInterval(Double(Self.dashboardDays) * 86_400))
        let conventionDN = convention.dn
        let limit = Self.dashboardLimit
        typealias Found = (entries: [SearchResultEntry], more: Bool)
        let found: [Found]
        do {
            // Five searches bounded by the size limit (not paged sequences), sent at once on the
            // person's connection: one round trip for the page.
            let searches = [
                Self.bounded(base: people, scope: .singleLevel, filter: "(&(objectClass=annUser)\(inConvention)(annStatus=open))", attributes: ["1.1"], limit: limit),
                Self.bounded(base: people, scope: .singleLevel, filter: "(&(objectClass=annUser)\(inConvention)(annStatus=closed))", attributes: ["1.1"], limit: limit),
                Self.bounded(base: people, scope: .singleLevel, filter: "(&(objectClass=annUser)\(inConvention)(pwdReset=TRUE))", attributes: ["uid"], limit: limit),
                Self.bounded(base: conventionDN, scope: .wholeSubtree,
                             filter: "(&(objectClass=annMembership)(annCloseDate>=\(today))(annCloseDate<=\(end.prefix(8))235959Z))",
                             attributes: ["annMemberUid", "annCloseDate"], limit: limit),
                Self.bounded(base: conventionDN, scope: .wholeSubtree, filter: "(&(objectClass=annGroup)(!(member=*))(!(annStatus=closed)))", attributes: ["cn"], limit: limit),
            ]
            found = try await person.connection.searchBatch(searches).map { result in
                let page = try result.get()
                return (page.entries, page.isTruncated)
            }
        } catch {
            return try failurePage(session, error)
        }
        func count(_ result: Found) -> String {
            result.more ? PortalTexts.text("dashboard.moreThan", language, ["count": "\(limit)"]) : "\(result.entries.count)"
        }
        func listed(_ values: [String], _ result: Found) -> [String: Any] {
            let sorted = values.sorted()
            return ["count": count(result), "items": Array(sorted.prefix(Self.dashboardListed)), "hasItems": !sorted.isEmpty,
                    "truncated": sorted.count > Self.dashboardListed || result.more]
        }
        let temporary = found[2].entries.compactMap { $0.string("uid") }
        let ending = found[3].entries.map { entry in
            "\(LDAPText.leafValue(of: LDAPText.parent(of: entry.objectName)))/\(entry.string("annMemberUid") ?? LDAPText.leafValue(of: entry.objectName)) (\(PortalDate.display(entry.string("annCloseDate") ?? "")))"
        }
        let empty = found[4].entries.compactMap { $0.string("cn") }
        return try page("dashboard", title: "dashboard.title", session: session, values: [
            "conventions": choice.options(), "convention": convention.number, "conventionQuery": FormData.encode(convention.number),
            "caption": PortalTexts.text("dashboard.caption", language, ["convention": convention.number]),
            "openUsers": count(found[0]), "closedUsers": count(found[1]),
            "temporary": listed(temporary, found[2]),
            "ending": listed(ending, found[3]),
            "endingTitle": PortalTexts.text("dashboard.ending", language, ["days": "\(Self.dashboardDays)"]),
            "emptyGroups": listed(empty, found[4]),
        ])
    }
}

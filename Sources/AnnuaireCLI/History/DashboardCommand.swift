import ArgumentParser
import Habilitations
import Messages
import Foundation
import LDAPProtocol

/// `annuaire dashboard`: the portal's "Mes tableaux de bord" for one
/// convention, as searches on the materialised data (R5, R6, R7): users open
/// and closed, memberships ending within 30 days, temporary passwords not yet
/// replaced, groups without members.
struct DashboardCommand: DirectoryCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "dashboard",
        abstract: CLIContext.texts.text(.helpDashboard),
        discussion: """
            \(CLIContext.texts.text(.helpExample)) annuaire dashboard
                     annuaire dashboard --convention CONV-0606-001 --days 90 --format json

            \(AnnuaireCLI.commonDiscussion)
            """
    ) }

    @OptionGroup var connection: ConnectionOptions

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionConventionDefault)))
    var convention: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionDays)))
    var days = 30

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionFormatNoLDIF)))
    var format: OutputFormat = .table

    func validate() throws {
        if format == .ldif { throw ValidationError(CLIContext.texts.text(.errorDashboardFormat)) }
        if days < 0 { throw ValidationError(CLIContext.texts.text(.errorDays)) }
    }

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let conventionDN = try session.convention(convention)
        let inConvention = LDAPText.equals("annConvention", conventionDN)
        func users(_ filter: SearchFilter) throws -> [String] {
            try session.client.search(
                base: session.people, scope: .singleLevel, filter: .and([.objectClass("annUser"), inConvention, filter]), attributes: ["uid"]
            ).compactMap { $0.string("uid") }.sorted()
        }
        let today = DisplayDate.today()
        let end = Self.date(daysAfterToday: days)
        let open = try users(.equals(AttributeName.status, EntryStatus.open.rawValue))
        let closed = try users(.equals(AttributeName.status, EntryStatus.closed.rawValue))
        let temporary = try users(.equals("pwdReset", "TRUE"))
        let ending = try session.client.search(
            base: conventionDN, scope: .wholeSubtree,
            filter: .and([.objectClass("annMembership"), .atLeast("annCloseDate", today), .atMost("annCloseDate", "\(end.prefix(8))235959Z")]),
            attributes: ["annMemberUid", "annCloseDate"]
        ).map { "\(LDAPText.leafValue(of: LDAPText.parent(of: $0.objectName)))/\($0.string("annMemberUid") ?? "?") (\(DisplayDate.portal($0.string("annCloseDate"))))" }.sorted()
        let empty = try session.client.search(
            base: conventionDN, scope: .singleLevel, filter: .and([.objectClass("annGroup"), .not(.present("member"))]), attributes: ["cn"]
        ).compactMap { $0.string("cn") }.sorted()

        let texts = context.catalogue
        let record = Record(fields: [
            .init("convention", texts.text(.dashboardConvention), LDAPText.leafValue(of: conventionDN)),
            .init("openUsers", texts.text(.dashboardOpenUsers), String(open.count)),
            .init("closedUsers", texts.text(.dashboardClosedUsers), String(closed.count)),
            .init("membershipsEnding", texts(.dashboardMembershipsEnding, ("days", "\(days)")), list: ending, display: Self.counted(ending)),
            .init("temporaryPasswords", texts.text(.dashboardTemporaryPasswords), list: temporary, display: Self.counted(temporary)),
            .init("groupsWithoutMembers", texts.text(.dashboardGroupsWithoutMembers), list: empty, display: Self.counted(empty)),
        ])
        context.print(RecordRenderer.detail(record, format: format))
    }

    static func counted(_ values: [String]) -> String {
        values.isEmpty ? "0" : "\(values.count): \(values.joined(separator: ", "))"
    }

    /// GeneralizedTime at midnight (UTC), `days` after today.
    static func date(daysAfterToday days: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let start = calendar.startOfDay(for: Date())
        let day = calendar.date(byAdding: .day, value: days, to: start) ?? start
        let parts = calendar.dateComponents([.year, .month, .day], from: day)
        return String(format: "%04d%02d%02d000000Z", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }
}

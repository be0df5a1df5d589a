import ArgumentParser
import Habilitations
import LDAPProtocol
import Messages

/// `annuaire history`: R11, who created, changed, attached, closed or reset
/// what, and when, with each changed field's old and new values; an
/// administrator sees its conventions' events (R8). A person's history
/// (`--user`) includes its memberships' events. Times are shown in the
/// reader's time zone (Europe/Paris by default), the zone marked.
struct HistoryCommand: DirectoryCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "history",
            abstract: CLIContext.texts.text(.helpHistory),
            discussion: """
                \(CLIContext.texts(.helpHistoryActions, ("actions", HistoryAction.allCases.map(\.rawValue).joined(separator: ", "))))

                annuaire history --user XXX0606XX11 --since 01/01/2021
                annuaire history --group T1B --time-zone UTC

                \(AnnuaireCLI.commonDiscussion)
                """
        )
    }

    @OptionGroup var connection: ConnectionOptions

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionOnlyConventionEvents)))
    var convention: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionOnlyUserEvents)))
    var user: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionOnlyGroupEvents)))
    var group: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionOnlyActor)))
    var actor: String?

    @Option(help: ArgumentHelp(CLIContext.texts(.helpOptionAction, ("actions", HistoryAction.allCases.map(\.rawValue).joined(separator: ", ")))))
    var action: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionSince)))
    var since: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionUntil)))
    var until: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionLimit)))
    var limit: Int?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionTimeZone)))
    var timeZone: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionFormat)))
    var format: OutputFormat = .table

    static let attributes = ["annEventId", "annActor", "annAction", "annTarget", "annTime", "annConvention", "annChange", "annConcerns"]

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let time = try ReaderTime(explicit: timeZone, environment: context.environment)
        var parts: [SearchFilter] = [.objectClass("annEvent")]
        if let convention { parts.append(LDAPText.equals("annConvention", try session.convention(convention))) }
        if let user {
            let dn = session.userDN(user)
            parts.append(.or([LDAPText.equals("annTarget", dn), LDAPText.equals("annConcerns", dn)]))
        }
        var groupDN: String?
        if let group { groupDN = try session.groupDN(group, convention: convention) }
        if let actor { parts.append(LDAPText.equals("annActor", session.userDN(actor))) }
        if let action { parts.append(LDAPText.equals("annAction", action)) }
        if let since { parts.append(.atLeast("annTime", try DisplayDate.parse(since))) }
        if let until { parts.append(.atMost("annTime", "\(try DisplayDate.parse(until).prefix(8))235959Z")) }
        var entries = try session.client.search(
            base: session.layout.history, scope: .singleLevel, filter: LDAPText.and(parts), attributes: Self.attributes)
        if let groupDN {
            // The group and what lies below it (its memberships): DN syntax has no substring match, so this is chosen here.
            let suffix = "," + groupDN.lowercased()
            entries = entries.filter { entry in
                let target = (entry.string("annTarget") ?? "").lowercased()
                return target == groupDN.lowercased() || target.hasSuffix(suffix)
            }
        }
        let catalogue = context.catalogue
        // By time; events of the same second keep the order slapd returns them in (the order they were written).
        var records = entries.enumerated().map { (index: $0.offset, record: row($0.element, session: session, time: time, catalogue: catalogue)) }
            .sorted { ($0.record.fields[0].values[0], $0.index) < ($1.record.fields[0].values[0], $1.index) }
            .map(\.record)
        if let limit, records.count > limit { records = Array(records.suffix(max(limit, 0))) }
        let empty = row(SearchResultEntry(objectName: "", attributes: []), session: session, time: time, catalogue: catalogue).fields
        if records.isEmpty, format == .table {
            let used = [("--user", user), ("--group", group), ("--actor", actor), ("--action", action), ("--since", since), ("--until", until)]
                .compactMap { flag, value in value.map { "\(flag) \($0)" } }
            context.errorOutput.write(catalogue.text(.emptyHistory, ["reason": EmptyListReason.text(session, filters: used, catalogue: catalogue)]) + "\n")
        }
        context.print(RecordRenderer.list(records, format: format, emptyFields: empty))
    }

    /// Date, Acteur, Action, Cible, Modifications, Conventions.
    func row(_ entry: SearchResultEntry, session: DirectorySession, time: ReaderTime, catalogue: Catalogue) -> Record {
        let stamp = entry.string("annTime") ?? ""
        let action = entry.string("annAction") ?? ""
        let changeTexts = entry.strings("annChange").compactMap(HistoryChange.init(stored:))
            .map { HistoryChangeText.text($0, target: entry.string("annTarget") ?? "", session: session, catalogue: catalogue) }
        return Record(fields: [
            .init("time", catalogue.text(.historyHeaderTime), stamp, display: stamp.isEmpty ? "" : time.display(stamp)),
            .init("actor", catalogue.text(.historyHeaderActor), entry.string("annActor").map(LDAPText.leafValue(of:))),
            .init("action", catalogue.text(.historyHeaderAction), action, display: HistoryActionText.label(action, catalogue)),
            .init("target", catalogue.text(.historyHeaderTarget), entry.string("annTarget"), display: Self.shortTarget(entry.string("annTarget") ?? "")),
            .init("changes", catalogue.text(.historyHeaderChanges), list: changeTexts, display: changeTexts.joined(separator: catalogue.text(.listSeparator))),
            .init("conventions", catalogue.text(.historyHeaderConventions), list: entry.strings("annConvention").map(LDAPText.leafValue(of:))),
        ], entry: entry)
    }

    /// `XXX0606XX11`, `T1`, `T1/XXX0606XX11` for a membership: the RDN values up to the convention.
    static func shortTarget(_ dn: String) -> String {
        let lowered = dn.lowercased()
        if lowered.hasPrefix("annmemberuid=") {
            return LDAPText.leafValue(of: LDAPText.parent(of: dn)) + "/" + LDAPText.leafValue(of: dn)
        }
        return LDAPText.leafValue(of: dn)
    }
}

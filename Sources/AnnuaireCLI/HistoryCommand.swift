import ArgumentParser
import LDAPProtocol

/// `annuaire history`: R11, who created, changed, attached, closed or reset
/// what, and when; an administrator sees its conventions' events (R8).
struct HistoryCommand: DirectoryCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List the recorded changes (R11), newest last.",
        discussion: """
            Actions: add, modify, delete, create-user, reset-password, resend-identifier.

            Example (what happened to LAGARE Xavier since 2021):
              annuaire history --user XXX0606XX11 --since 01/01/2021

            \(AnnuaireCLI.commonDiscussion)
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Only this convention's events (number or DN).")
    var convention: String?

    @Option(help: "Only changes to this user's entry (identifier or DN).")
    var user: String?

    @Option(help: "Only changes made by this identity (identifier or DN).")
    var actor: String?

    @Option(help: "Only this action (add, modify, delete, create-user, reset-password, resend-identifier).")
    var action: String?

    @Option(help: "From this date (25/08/2021, 2021-08-25, today).")
    var since: String?

    @Option(help: "Until this date, inclusive.")
    var until: String?

    @Option(help: "At most this many events (the newest).")
    var limit: Int?

    @Option(help: "Output format: table, json, csv, ldif.")
    var format: OutputFormat = .table

    static let attributes = ["annEventId", "annActor", "annAction", "annTarget", "annTime", "annConvention"]

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        var parts: [SearchFilter] = [.objectClass("annEvent")]
        if let convention { parts.append(LDAPText.equals("annConvention", try session.convention(convention))) }
        if let user { parts.append(LDAPText.equals("annTarget", session.userDN(user))) }
        if let actor { parts.append(LDAPText.equals("annActor", session.userDN(actor))) }
        if let action { parts.append(LDAPText.equals("annAction", action)) }
        if let since { parts.append(.atLeast("annTime", try DisplayDate.parse(since))) }
        if let until { parts.append(.atMost("annTime", "\(try DisplayDate.parse(until).prefix(8))235959Z")) }
        let entries = try session.client.search(
            base: "ou=history,\(session.base)", scope: .singleLevel, filter: LDAPText.and(parts), attributes: Self.attributes)
        var records = entries.map { row($0, session: session) }.sorted { $0.fields[0].values[0] < $1.fields[0].values[0] }
        if let limit, records.count > limit { records = Array(records.suffix(max(limit, 0))) }
        context.print(RecordRenderer.list(records, format: format, emptyFields: row(SearchResultEntry(objectName: "", attributes: []), session: session).fields))
    }

    /// Date, Acteur, Action, Cible, Conventions.
    func row(_ entry: SearchResultEntry, session: DirectorySession) -> Record {
        let time = entry.string("annTime") ?? ""
        return Record(fields: [
            .init("time", "Date", time, display: DisplayDate.portalTime(time)),
            .init("actor", "Acteur", entry.string("annActor").map(LDAPText.leafValue(of:))),
            .init("action", "Action", entry.string("annAction")),
            .init("target", "Cible", entry.string("annTarget"), display: Self.shortTarget(entry.string("annTarget") ?? "")),
            .init("conventions", "Conventions", list: entry.strings("annConvention").map(LDAPText.leafValue(of:))),
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

import ArgumentParser
import Messages
import LDAPProtocol

/// `annuaire service list`: the services and the profiles below them (R3).
struct ServiceListCommand: DirectoryCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "list",
        abstract: CLIContext.texts.text(.helpServiceList),
        discussion: """
            \(CLIContext.texts.text(.helpExample)) annuaire service list

            \(AnnuaireCLI.commonDiscussion)
            """
    ) }

    @OptionGroup var connection: ConnectionOptions

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionFormat)))
    var format: OutputFormat = .table

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let entries = try session.client.search(
            base: session.services, scope: .wholeSubtree, filter: "(|(objectClass=annService)(objectClass=annProfile))", attributes: CatalogRecords.attributes)
        let profiles = entries.filter { $0.strings("objectClass").contains { $0.caseInsensitiveEquals("annProfile") } }
        let services = entries.filter { $0.strings("objectClass").contains { $0.caseInsensitiveEquals("annService") } }
        let records = services.map { service in
            let own = profiles.filter { LDAPText.parent(of: $0.objectName).caseInsensitiveEquals(service.objectName) }.compactMap { $0.string("cn") }.sorted()
            return CatalogRecords.row(service, extra: [.init("profiles", "Profils", list: own)])
        }.sorted { $0.fields[0].display < $1.fields[0].display }
        let empty: [Record.Field] = [.init("code", "Code", ""), .init("label", "Libellé", ""), .init("profiles", "Profils", list: [])]
        context.print(RecordRenderer.list(records, format: format, emptyFields: empty))
    }
}

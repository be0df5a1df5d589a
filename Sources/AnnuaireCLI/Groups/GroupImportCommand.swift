import ArgumentParser
import Messages
import LDAPProtocol

/// `annuaire group import FILE.csv`: creates habilitation groups in bulk
/// (R2, R3, R8), all or nothing: every line is checked first (code unique in
/// its convention and in the file, responsible a user of the convention,
/// roles granted by the convention, parent group known), then the groups are
/// added in file order, each checked again by the server.
struct GroupImportCommand: DirectoryCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "import",
        abstract: CLIContext.texts.text(.helpGroupImport),
        discussion: """
            \(CLIContext.texts.text(.helpDiscussGroupImport))

            \(CLIContext.texts.text(.helpExampleGroupImport))
              printf '%s\\n' code,label,responsible,roles \\
                'T1C,CDAP T1 C,XXX0606XX01,CDAP/T1' > groups.csv
              annuaire group import groups.csv --dry-run -D XXX0606XX01
              annuaire group import groups.csv -D XXX0606XX01

            \(AnnuaireCLI.commonDiscussion)
            """
    ) }

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var options: ImportOptions

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionDefaultConvention)))
    var convention: String?

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let table = try CSVTable.read(path: options.file)
        let columns = try ImportColumns(header: table.header, columns: GroupCSVFormat.columns, ignored: GroupCSVFormat.ignored, file: options.file)
        var lines = table.rows.filter { $0.line >= options.fromLine }.map { GroupImportLine($0, columns: columns, defaultConvention: convention) }
        var issues = ImportIssue.malformed(table).filter { $0.line >= options.fromLine }

        // On the server: the convention, uniqueness, the responsible, the roles, the parent.
        var conventions: [String: Result<SearchResultEntry, CLIError>] = [:]
        var responsibles: [String: SearchResultEntry?] = [:]
        var seen: Set<String> = []
        for index in lines.indices {
            var line = lines[index]
            defer { lines[index] = line }
            func issue(_ field: String, _ rule: String, _ message: String) {
                line.issues.append(ImportIssue(line: line.line, field: field, rule: rule, message: message))
            }
            let key = line.convention ?? ""
            if conventions[key] == nil {
                do {
                    let dn = try session.convention(line.convention)
                    conventions[key] = .success(try session.require(dn, what: LDAPText.leafValue(of: dn), attributes: ["annGrantedProfile"]))
                } catch {
                    conventions[key] = .failure(CLIError(error))
                }
            }
            guard let result = conventions[key] else { continue }
            let conventionEntry: SearchResultEntry
            switch result {
            case .success(let entry): conventionEntry = entry
            case .failure(let error):
                issue("convention", "R8", error.message)
                continue
            }
            let conventionDN = conventionEntry.objectName
            line.conventionDN = conventionDN
            guard let dn = line.dn, !line.code.isEmpty else { continue }
            if !seen.insert(dn.lowercased()).inserted {
                issue("code", "R2", context.catalogue(.importGroupTwice, ("code", line.code)))
            } else if try session.client.read(dn, attributes: ["1.1"]) != nil {
                issue("code", "R2", context.catalogue(.importGroupExists, ("code", line.code), ("convention", LDAPText.leafValue(of: conventionDN))))
            }
            if !line.responsible.isEmpty {
                let userDN = session.userDN(line.responsible)
                if responsibles[userDN] == nil { responsibles[userDN] = .some(try session.client.read(userDN, attributes: ["annConvention"])) }
                let conventionsOfUser = (responsibles[userDN] ?? nil)?.strings("annConvention") ?? []
                if !conventionsOfUser.contains(where: { $0.caseInsensitiveEquals(conventionDN) }) {
                    issue("responsible", "R2", context.catalogue(.importResponsibleOutside, ("identifier", line.responsible), ("convention", LDAPText.leafValue(of: conventionDN))))
                }
            }
            let granted = conventionEntry.strings("annGrantedProfile")
            for role in line.roles {
                guard let profile = try? session.profileDN(role) else { continue }
                if granted.contains(where: { $0.caseInsensitiveEquals(profile) }) {
                    line.roleDNs.append(profile)
                } else {
                    let offered = granted.map(session.roleName).joined(separator: ", ")
                    issue("roles", "R3", context.catalogue(
                        .importRoleNotGranted, ("role", role), ("convention", LDAPText.leafValue(of: conventionDN)),
                        ("offered", offered.isEmpty ? context.catalogue.text(.importNothingGranted) : offered)))
                }
            }
            if let parentDN = line.parentDN(in: conventionDN), !seen.contains(parentDN.lowercased()),
               try session.client.read(parentDN, attributes: ["1.1"]) == nil {
                issue("parent", "R2", context.catalogue(.importParentUnknown, ("parent", line.parent ?? ""), ("convention", LDAPText.leafValue(of: conventionDN))))
            }
        }
        issues += lines.flatMap(\.issues)
        let checked = lines.count + table.malformed.count { $0.line >= options.fromLine }

        if options.dryRun {
            try ImportReport.dryRun(issues, checked: checked, what: "lines", options: options, context: context)
            return
        }
        if !issues.isEmpty && !options.keepGoing {
            try ImportReport.refuse(issues, checked: checked, what: "lines", context: context)
        }
        let good = lines.filter(\.issues.isEmpty)
        var created: [Record] = []
        var failures: [ImportIssue] = []
        var progress = ImportProgress(context: context, label: context.catalogue.text(.progressCreatingGroups), total: good.count)
        for line in good {
            do {
                created.append(try create(line, session: session))
            } catch {
                let failure = ImportIssue(line: line.line, field: "-", error: error, defaultRule: "server")
                guard options.keepGoing else {
                    progress.finish()
                    context.print(RecordRenderer.list(created, format: options.format, emptyFields: Self.emptyFields))
                    throw CLIError(
                        context.catalogue(
                            .importServerRefusedLine, ("line", "\(line.line)"), ("rule", failure.rule), ("message", failure.message),
                            ("created", "\(created.count)")),
                        status: CLIError(error).status)
                }
                failures.append(failure)
            }
            progress.update(created.count + failures.count)
        }
        progress.finish()
        context.print(RecordRenderer.list(created, format: options.format, emptyFields: Self.emptyFields))
        let all = issues + failures
        if !all.isEmpty {
            for issue in all.sorted(by: { $0.line < $1.line }) { context.errorOutput.write(context.catalogue(.importNotCreated, ("issue", issue.sentence)) + "\n") }
            throw CLIError(
                context.catalogue(.importGroupsCreatedSome, ("created", "\(created.count)"), ("summary", ImportReport.summary(all, checked: checked, what: "lines"))),
                status: .ruleViolation)
        }
        if options.format == .table { context.print(created.count == 1 ? context.catalogue.text(.importGroupsCreatedOne) : context.catalogue(.importGroupsCreated, ("created", "\(created.count)"))) }
    }

    private func create(_ line: GroupImportLine, session: DirectorySession) throws -> Record {
        guard let conventionDN = line.conventionDN, let dn = line.dn else {
            throw CLIError(CLIContext.texts(.importLineNoConvention, ("line", "\(line.line)")), status: .ruleViolation)
        }
        var attributes = [
            PartialAttribute(type: "objectClass", strings: ["annGroup"]),
            PartialAttribute(type: "cn", strings: [line.code]),
            PartialAttribute(type: "annLabel", strings: [line.label]),
            PartialAttribute(type: "annResponsible", strings: [session.userDN(line.responsible)]),
        ]
        if !line.roleDNs.isEmpty { attributes.append(PartialAttribute(type: "annRole", strings: line.roleDNs)) }
        if let parent = line.parentDN(in: conventionDN) { attributes.append(PartialAttribute(type: "annParentGroup", strings: [parent])) }
        if let openDate = line.openDate { attributes.append(PartialAttribute(type: "annOpenDate", strings: [openDate])) }
        if let closeDate = line.closeDate { attributes.append(PartialAttribute(type: "annCloseDate", strings: [closeDate])) }
        try session.client.add(dn: dn, attributes: attributes)
        return Record(fields: [
            .init("line", CLIContext.texts.text(.headerLine), String(line.line)),
            .init("code", CLIContext.texts.text(.headerCode), line.code),
            .init("label", CLIContext.texts.text(.headerLabel), line.label),
            .init("convention", CLIContext.texts.text(.headerConvention), LDAPText.leafValue(of: conventionDN)),
            .init("dn", "DN", dn),
        ])
    }

    static var emptyFields: [Record.Field] {
        [
            .init("line", CLIContext.texts.text(.headerLine), ""), .init("code", CLIContext.texts.text(.headerCode), ""), .init("label", CLIContext.texts.text(.headerLabel), ""),
            .init("convention", CLIContext.texts.text(.headerConvention), ""), .init("dn", "DN", ""),
        ]
    }
}

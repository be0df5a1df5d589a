import ArgumentParser
import Messages
import LDAPProtocol

/// `annuaire user import FILE.csv`: bulk onboarding (R4, R5, R8). Every line
/// is checked first, locally with the server's own R4 checks, then by the
/// server itself (the create-users extended operation in dry-run mode); with
/// any broken rule nothing is created (all or nothing), unless
/// `--keep-going`. Then the users are created in batches, each one LDAP
/// transaction on the server, which applies every rule again, generates the
/// identifiers and mails them with temporary passwords. Should the server
/// still refuse a batch (a change made meanwhile), the import stops there and
/// says which lines were created.
struct UserImportCommand: DirectoryCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "import",
        abstract: CLIContext.texts.text(.helpUserImport),
        discussion: """
            \(CLIContext.texts.text(.helpDiscussUserImportColumns))

            \(CLIContext.texts.text(.helpDiscussUserImportChecks))

            \(CLIContext.texts.text(.helpExampleUserImport))
              printf '%s\\n' lastName,firstName,mail,telephone,workMode,group \\
                'LAGARE,Xavier,x.lagare@partenaires.fr,07 00 02 00 00,sedentary,T1' \\
                > users.csv
              annuaire user import users.csv --dry-run -D XXX0606XX01
              annuaire user import users.csv -D XXX0606XX01

            \(AnnuaireCLI.commonDiscussion)
            """
    ) }

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var options: ImportOptions

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionDefaultGroup)))
    var group: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionDefaultConventionWhenSeveral)))
    var convention: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionDefaultWorkMode)))
    var workMode: WorkMode?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionBatchSize)))
    var batchSize = 200

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let table = try CSVTable.read(path: options.file)
        var provided: Set<String> = []
        if group != nil { provided.insert("group") }
        if workMode != nil { provided.insert("workMode") }
        let columns = try ImportColumns(
            header: table.header, columns: UserCSVFormat.columns, ignored: UserCSVFormat.ignored, provided: provided, file: options.file)
        let defaults = UserImportLine.Defaults(group: group, convention: convention, workMode: workMode?.rawValue)
        var lines = table.rows.filter { $0.line >= options.fromLine }.map { UserImportLine($0, columns: columns, defaults: defaults) }
        var issues = ImportIssue.malformed(table).filter { $0.line >= options.fromLine }

        // On the server: each group exists and is visible to you (R4, R8).
        var resolved: [String: Result<String, CLIError>] = [:]
        for index in lines.indices {
            for code in lines[index].groups {
                let key = "\(lines[index].convention ?? "")|\(code)"
                let result: Result<String, CLIError>
                if let known = resolved[key] {
                    result = known
                } else {
                    do { result = .success(try session.groupDN(code, convention: lines[index].convention)) } catch { result = .failure(CLIError(error)) }
                    resolved[key] = result
                }
                switch result {
                case .success(let dn): lines[index].groupDNs.append(dn)
                case .failure(let error):
                    lines[index].issues.append(ImportIssue(line: lines[index].line, field: "group", rule: "R4", message: error.message))
                }
            }
        }
        issues += lines.flatMap(\.issues)
        let checked = lines.count + table.malformed.count { $0.line >= options.fromLine }

        // The server judges the lines that passed (R4, R5, R8, exactly as it will when creating), writing nothing.
        let candidates = lines.filter(\.issues.isEmpty)
        let refusals = try judge(candidates, session: session, context: context)
        issues += refusals

        if options.dryRun {
            try ImportReport.dryRun(issues, checked: checked, what: "lines", options: options, context: context)
            return
        }
        if !issues.isEmpty && !options.keepGoing {
            try ImportReport.refuse(issues, checked: checked, what: "lines", context: context)
        }
        let refusedLines = Set(refusals.map(\.line))
        let good = candidates.filter { !refusedLines.contains($0.line) }
        var created: [Record] = []
        var progress = ImportProgress(context: context, label: context.catalogue.text(.progressCreatingUsers), total: good.count)
        for batch in Self.batches(good, size: batchSize) {
            do {
                created += try create(batch, session: session, context: context)
            } catch {
                progress.finish()
                context.print(RecordRenderer.list(created, format: options.format, emptyFields: Self.emptyFields))
                let failure = CLIError(error)
                let first = batch.first?.line ?? 0
                throw CLIError(
                    context.catalogue(.importServerRefusedBatch, ("line", "\(first)"), ("message", failure.message), ("created", "\(created.count)")),
                    status: failure.status)
            }
            progress.update(created.count)
        }
        progress.finish()
        context.print(RecordRenderer.list(created, format: options.format, emptyFields: Self.emptyFields))
        if !issues.isEmpty {
            for issue in issues.sorted(by: { $0.line < $1.line }) { context.errorOutput.write(context.catalogue(.importNotCreated, ("issue", issue.sentence)) + "\n") }
            throw CLIError(
                context.catalogue(.importUsersCreatedSome, ("created", "\(created.count)"), ("summary", ImportReport.summary(issues, checked: checked, what: "lines"))),
                status: .ruleViolation)
        }
        if options.format == .table { context.print(created.count == 1 ? context.catalogue.text(.importUsersCreatedOne) : context.catalogue(.importUsersCreated, ("created", "\(created.count)"))) }
    }

    /// Lines in batches of `size` (0: one batch).
    static func batches(_ lines: [UserImportLine], size: Int) -> [ArraySlice<UserImportLine>] {
        guard size > 0 else { return lines.isEmpty ? [] : [lines[...]] }
        return stride(from: 0, to: lines.count, by: size).map { lines[$0..<min($0 + size, lines.count)] }
    }

    /// The server's dry run of every line, batch by batch: its refusals as issues.
    private func judge(_ lines: [UserImportLine], session: DirectorySession, context: CLIContext) throws -> [ImportIssue] {
        var issues: [ImportIssue] = []
        var progress = ImportProgress(context: context, label: context.catalogue.text(.progressCheckingUsers), total: lines.count)
        var done = 0
        for batch in Self.batches(lines, size: batchSize) {
            let response = try send(batch, dryRun: true, session: session)
            for refusal in response.refused where refusal.index >= 0 && refusal.index < batch.count {
                let line = batch[batch.startIndex + refusal.index]
                issues.append(ImportIssue(line: line.line, field: Self.field(of: refusal.diagnosticMessage), error: LDAPOperationError(.constraintViolation, refusal.diagnosticMessage), defaultRule: "R4"))
            }
            done += batch.count
            progress.update(done)
        }
        progress.finish()
        return issues
    }

    /// One create-users request; the server's answer.
    private func send(_ batch: ArraySlice<UserImportLine>, dryRun: Bool, session: DirectorySession) throws -> CreateUsersResponse {
        let request = CreateUsersRequest(users: batch.compactMap { $0.request() }, dryRun: dryRun)
        let previous = session.client.resultTimeoutSeconds
        session.client.resultTimeoutSeconds = max(previous, 600)
        defer { session.client.resultTimeoutSeconds = previous }
        guard let value = try session.client.extended(name: CreateUsersRequest.oid, value: request.encoded()) else {
            throw CLIError(CLIContext.texts.text(.errorNoCreateUsersAnswer), status: .serverError)
        }
        return try CreateUsersResponse(value: value)
    }

    /// Creates one batch, all or nothing, then attaches each user to its other groups.
    private func create(_ batch: ArraySlice<UserImportLine>, session: DirectorySession, context: CLIContext) throws -> [Record] {
        let response = try send(batch, dryRun: false, session: session)
        if let refusal = response.refused.first {
            let line = refusal.index >= 0 && refusal.index < batch.count ? batch[batch.startIndex + refusal.index].line : 0
            throw CLIError(CLIContext.texts(.importLineRefused, ("line", "\(line)"), ("message", refusal.diagnosticMessage)), status: .ruleViolation)
        }
        guard response.created.count == batch.count else {
            throw CLIError(CLIContext.texts(.errorCreatedCountMismatch, ("created", "\(response.created.count)"), ("lines", "\(batch.count)")), status: .serverError)
        }
        var records: [Record] = []
        for (line, user) in zip(batch, response.created) {
            for groupDN in line.groupDNs.dropFirst() {
                do {
                    try session.addMembership(user.identifier, to: groupDN, openDate: line.openDate, closeDate: nil)
                } catch {
                    context.errorOutput.write(
                        CLIContext.texts(
                            .warningNotAttached, ("line", "\(line.line)"), ("identifier", user.identifier), ("group", LDAPText.leafValue(of: groupDN)),
                            ("reason", CLIError(error).message)) + "\n")
                }
            }
            records.append(Record(fields: [
                .init("line", CLIContext.texts.text(.headerLine), String(line.line)),
                .init("identifier", CLIContext.texts.text(.headerIdentifier), user.identifier),
                .init("lastName", CLIContext.texts.text(.headerLastName), line.lastName),
                .init("firstName", CLIContext.texts.text(.headerFirstName), line.firstName),
                .init("groups", CLIContext.texts.text(.headerGroups), list: line.groupDNs.map(LDAPText.leafValue(of:))),
                .init("dn", "DN", user.dn),
            ]))
        }
        return records
    }

    /// The CSV column a server message names: "(mail, mailConfirmation)" → mailConfirmation's first, "(sn)" → lastName.
    static func field(of message: String) -> String {
        let names = ["sn": "lastName", "givenName": "firstName", "mail": "mail", "mailConfirmation": "mailConfirmation",
                     "telephoneNumber": "telephone", "telephoneConfirmation": "telephoneConfirmation", "workMode": "workMode",
                     "annWorkMode": "workMode", "annOpenDate": "openDate", "annCloseDate": "closeDate"]
        guard let open = message.firstIndex(of: "("), let close = message[open...].firstIndex(of: ")") else {
            return message.contains("mailbox") || message.contains("boîte partagée") ? "mail" : message.contains("group") || message.contains("convention") ? "group" : "-"
        }
        let inside = message[message.index(after: open)..<close].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return inside.compactMap { names[$0] }.last ?? (message.contains("group") || message.contains("convention") ? "group" : "-")
    }

    static var emptyFields: [Record.Field] {
        [
            .init("line", CLIContext.texts.text(.headerLine), ""), .init("identifier", CLIContext.texts.text(.headerIdentifier), ""), .init("lastName", CLIContext.texts.text(.headerLastName), ""),
            .init("firstName", CLIContext.texts.text(.headerFirstName), ""), .init("groups", CLIContext.texts.text(.headerGroups), list: []), .init("dn", "DN", ""),
        ]
    }
}

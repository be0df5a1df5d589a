import Habilitations
import Messages
import LDAPProtocol

/// One line of a `user import`: the portal's "Créer un utilisateur" fields,
/// checked locally with the server's own R4 checks (`DomainRules`) before
/// anything is sent, each broken rule reported with its column.
struct UserImportLine {
    var line: Int
    var lastName = ""
    var firstName = ""
    var mail = ""
    var mailConfirmation = ""
    var telephone: String?
    var telephoneConfirmation: String?
    var workMode = ""
    /// Group codes (or DNs): the first is the habilitation group chosen at creation, the others become memberships.
    var groups: [String] = []
    var convention: String?
    var openDate: String?
    var closeDate: String?
    var issues: [ImportIssue] = []
    /// The groups' DNs, once resolved on the server.
    var groupDNs: [String] = []

    /// Defaults from flags for absent columns or empty cells.
    struct Defaults {
        var group: String?
        var convention: String?
        var workMode: String?
    }

    init(_ row: CSVTable.Row, columns: ImportColumns, defaults: Defaults) {
        line = row.line
        func value(_ key: String) -> String? { columns.value(key, in: row) }
        func fail(_ field: String, _ error: any Error) { issues.append(ImportIssue(line: line, field: field, error: error, defaultRule: "R4")) }
        func check(_ field: String, _ body: () throws -> Void) {
            do { try body() } catch { fail(field, error) }
        }

        lastName = value("lastName") ?? ""
        firstName = value("firstName") ?? ""
        mail = value("mail") ?? ""
        mailConfirmation = columns.has("mailConfirmation") ? value("mailConfirmation") ?? "" : mail
        telephone = value("telephone")
        telephoneConfirmation = columns.has("telephoneConfirmation") ? value("telephoneConfirmation") : telephone
        workMode = (value("workMode") ?? defaults.workMode).map(UserCSVFormat.workMode) ?? ""
        groups = (value("group") ?? defaults.group)?.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } ?? []
        convention = value("convention") ?? defaults.convention

        if lastName.isEmpty { issues.append(.init(line: line, field: "lastName", rule: "R4", message: CLIContext.texts.text(.importLastNameRequired))) }
        if firstName.isEmpty { issues.append(.init(line: line, field: "firstName", rule: "R4", message: CLIContext.texts.text(.importFirstNameRequired))) }
        if mail.isEmpty {
            issues.append(.init(line: line, field: "mail", rule: "R4", message: CLIContext.texts.text(.importMailRequired)))
        } else {
            check("mail") { try DomainRules.checkPersonalMail(mail) }
            if mail.lowercased() != mailConfirmation.lowercased() {
                issues.append(.init(line: line, field: "mailConfirmation", rule: "R4", message: CLIContext.texts.text(.importMailsDiffer)))
            }
        }
        if let telephone { check("telephone") { try DomainRules.checkTelephone(telephone) } }
        if telephone != telephoneConfirmation {
            issues.append(.init(line: line, field: "telephoneConfirmation", rule: "R4", message: CLIContext.texts.text(.importPhonesDiffer)))
        }
        if workMode.isEmpty {
            issues.append(.init(line: line, field: "workMode", rule: "R4", message: CLIContext.texts.text(.importWorkModeRequired)))
        } else {
            check("workMode") { try DomainRules.checkWorkMode(workMode) }
        }
        if groups.isEmpty {
            issues.append(.init(line: line, field: "group", rule: "R4", message: CLIContext.texts.text(.importGroupRequired)))
        }
        if let text = value("openDate") { check("openDate") { openDate = try DisplayDate.parse(text) } }
        if let text = value("closeDate") { check("closeDate") { closeDate = try DisplayDate.parse(text) } }
        if openDate != nil || closeDate != nil {
            let dates = EntrySnapshot(dn: "", attributes: [
                PartialAttribute(type: "annOpenDate", strings: [openDate ?? DisplayDate.today()]),
                PartialAttribute(type: "annCloseDate", strings: closeDate.map { [$0] } ?? []),
            ])
            check("closeDate") { try DomainRules.checkDates(dates, rule: "R4", openRequired: false) }
        }
    }

    /// The create-user request for this line (the first group).
    func request() -> CreateUserRequest? {
        guard let group = groupDNs.first else { return nil }
        return CreateUserRequest(
            convention: LDAPText.parent(of: group), group: group, sn: lastName, givenName: firstName,
            mail: mail, mailConfirmation: mailConfirmation,
            telephoneNumber: telephone, telephoneConfirmation: telephoneConfirmation,
            workMode: workMode, openDate: openDate, closeDate: closeDate)
    }
}

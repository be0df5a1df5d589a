import Habilitations
import Messages
import LDAPProtocol

/// One line of a `group import`: the portal's "Créer un groupe" fields (R2)
/// and the group's roles (R3), checked locally with the server's own checks.
struct GroupImportLine {
    var line: Int
    var code = ""
    var label = ""
    var responsible = ""
    var roles: [String] = []
    var parent: String?
    var convention: String?
    var openDate: String?
    var closeDate: String?
    var issues: [ImportIssue] = []
    /// Resolved on the server.
    var conventionDN: String?
    var roleDNs: [String] = []

    init(_ row: CSVTable.Row, columns: ImportColumns, defaultConvention: String?) {
        line = row.line
        func value(_ key: String) -> String? { columns.value(key, in: row) }
        func check(_ field: String, _ body: () throws -> Void) {
            do { try body() } catch { issues.append(ImportIssue(line: line, field: field, error: error, defaultRule: "R2")) }
        }
        code = value("code") ?? ""
        label = value("label") ?? ""
        responsible = value("responsible") ?? ""
        roles = value("roles")?.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } ?? []
        parent = value("parent")
        convention = value("convention") ?? defaultConvention

        check("code") { try DomainRules.checkGroupCode(code) }
        if label.isEmpty { issues.append(.init(line: line, field: "label", rule: "R2", message: CLIContext.texts.text(.importGroupLabelRequired))) }
        if responsible.isEmpty {
            issues.append(.init(line: line, field: "responsible", rule: "R2", message: CLIContext.texts.text(.importResponsibleRequired)))
        }
        for role in roles where !role.contains("=") && role.split(separator: "/", omittingEmptySubsequences: false).count != 2 {
            issues.append(.init(line: line, field: "roles", rule: "R3", message: CLIContext.texts(.importRoleSyntax, ("role", role))))
        }
        if let text = value("openDate") { check("openDate") { openDate = try DisplayDate.parse(text) } }
        if let text = value("closeDate") { check("closeDate") { closeDate = try DisplayDate.parse(text) } }
        if let closeDate {
            let dates = EntrySnapshot(dn: "", attributes: [
                PartialAttribute(type: "annOpenDate", strings: [openDate ?? DisplayDate.today()]),
                PartialAttribute(type: "annCloseDate", strings: [closeDate]),
            ])
            check("closeDate") { try DomainRules.checkDates(dates, rule: "R2", openRequired: false) }
        }
    }

    var dn: String? { conventionDN.map { "cn=\(LDAPText.escapeRDNValue(code)),\($0)" } }

    func parentDN(in conventionDN: String) -> String? {
        parent.map { $0.contains("=") ? $0 : "cn=\(LDAPText.escapeRDNValue($0)),\(conventionDN)" }
    }
}

import LDAPProtocol
import Messages

/// A line of an import that breaks a rule: where (line number, column),
/// which rule (R2–R5, R8, or CSV for a malformed line) and what to do.
struct ImportIssue: Sendable {
    var line: Int
    var field: String
    var rule: String
    var message: String

    /// An issue from an error the rules or the server raised: "R4: …" gives the rule.
    init(line: Int, field: String, error: any Error, defaultRule: String) {
        self.line = line
        self.field = field
        let text: String
        switch error {
        case let error as LDAPOperationError: text = error.diagnosticMessage
        case let error as CLIError: text = error.message
        default: text = "\(error)"
        }
        if let colon = text.firstIndex(of: ":"), text[..<colon].count <= 4, text.first == "R" {
            rule = text[..<colon].trimmingCharacters(in: .whitespaces)
            message = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        } else {
            rule = defaultRule
            message = text
        }
    }

    init(line: Int, field: String, rule: String, message: String) {
        self.line = line
        self.field = field
        self.rule = rule
        self.message = message
    }

    var record: Record {
        Record(fields: [
            .init("line", CLIContext.texts.text(.headerLine), String(line)),
            .init("field", CLIContext.texts.text(.headerField), field),
            .init("rule", CLIContext.texts.text(.headerRule), rule),
            .init("message", CLIContext.texts.text(.headerMessage), message),
        ])
    }

    /// `line 12, field mail, rule R4: …`
    var sentence: String { CLIContext.texts(.importIssueSentence, ("line", "\(line)"), ("field", field), ("rule", rule), ("message", message)) }

    static var emptyFields: [Record.Field] { ImportIssue(line: 0, field: "", rule: "", message: "").record.fields }

    /// The malformed records of a table (a field count that differs from the header's).
    static func malformed(_ table: CSVTable) -> [ImportIssue] {
        table.malformed.map {
            ImportIssue(line: $0.line, field: "-", rule: "CSV", message: CLIContext.texts(.importMalformedLine, ("count", "\($0.count)"), ("width", "\(table.header.count)")))
        }
    }
}

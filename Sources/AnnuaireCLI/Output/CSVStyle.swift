import ArgumentParser
import Messages

/// How `--format csv` is written (issue #16, item 5). French spreadsheet
/// software opens a file cleanly when it starts with a UTF-8 byte order mark
/// and separates fields with `;` (the comma is the French decimal mark): that
/// is the default with the French headers. RFC 4180 — the JSON keys as
/// headers, `,`, no mark — is for scripts, and the default in English.
/// `user import` and `group import` read both.
enum CSVStyle: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// French headers, `;`, a UTF-8 BOM.
    case spreadsheet
    /// The JSON keys, `,`, no BOM.
    case rfc4180

    init?(argument: String) {
        switch argument.lowercased() {
        case "spreadsheet", "tableur", "excel": self = .spreadsheet
        case "rfc4180", "rfc", "script": self = .rfc4180
        default: return nil
        }
    }
}

extension CLIContext {
    /// `--csv-style` when given, else the spreadsheet style in French and RFC 4180 in English.
    var csvStyle: CSVStyle {
        csvStyleFlag.flatMap(CSVStyle.init(argument:)) ?? (catalogue.language == .french ? .spreadsheet : .rfc4180)
    }
}

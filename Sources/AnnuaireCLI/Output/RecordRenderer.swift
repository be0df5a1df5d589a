import Foundation
import LDAPProtocol

/// Renders records in the chosen `OutputFormat`.
enum RecordRenderer {
    /// A listing: a table of rows, a JSON array, CSV lines or LDIF entries.
    static func list(_ records: [Record], format: OutputFormat, emptyFields: [Record.Field] = []) -> String {
        switch format {
        case .table: return table(records, emptyFields: emptyFields)
        case .json: return "[" + records.map { "\n  " + jsonObject($0, indent: "  ") }.joined(separator: ",") + (records.isEmpty ? "]\n" : "\n]\n")
        case .csv: return csv(records, emptyFields: emptyFields)
        case .ldif: return records.compactMap(\.entry).map(LDIFWriter.entry).joined(separator: "\n")
        }
    }

    /// One record: "Header: value" lines, a JSON object, CSV with one row, or LDIF.
    static func detail(_ record: Record, format: OutputFormat) -> String {
        switch format {
        case .table:
            let texts = CLIContext.texts
            let width = record.fields.map { FieldHeader.shown($0.header, texts).count }.max() ?? 0
            return record.fields.map { field in
                let name = FieldHeader.shown(field.header, texts)
                return field.display.isEmpty ? name + ":" : name + ":" + String(repeating: " ", count: width - name.count + 1) + field.display
            }.joined(separator: "\n") + "\n"
        case .json: return jsonObject(record, indent: "") + "\n"
        case .csv: return csv([record], emptyFields: [])
        case .ldif: return record.entry.map(LDIFWriter.entry) ?? ""
        }
    }

    private static func table(_ records: [Record], emptyFields: [Record.Field]) -> String {
        let texts = CLIContext.texts
        let headers = (records.first?.fields ?? emptyFields).map { FieldHeader.shown($0.header, texts) }
        let rows = records.map { $0.fields.map(\.display) }
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
        }
        var out = line(headers) + "\n"
        for row in rows { out += line(row) + "\n" }
        return out
    }

    /// CSV in the run's style (`CSVStyle`): French headers, `;` and a BOM for spreadsheets, or RFC 4180 with the keys.
    private static func csv(_ records: [Record], emptyFields: [Record.Field]) -> String {
        let style = CLIContext.current.csvStyle
        let separator = style == .spreadsheet ? ";" : ","
        func quote(_ value: String) -> String {
            guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == ";" }) else { return value }
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        let fields = records.first?.fields ?? emptyFields
        let header = fields.map { style == .spreadsheet && !$0.header.isEmpty ? $0.header : $0.key }
        var out = (style == .spreadsheet ? "\u{FEFF}" : "") + header.map(quote).joined(separator: separator) + "\r\n"
        for record in records {
            out += record.fields.map { quote($0.values.joined(separator: ";")) }.joined(separator: separator) + "\r\n"
        }
        return out
    }

    private static func jsonObject(_ record: Record, indent: String) -> String {
        let members = record.fields.map { field -> String in
            let value = field.isList ? "[" + field.values.map(jsonString).joined(separator: ", ") + "]" : jsonString(field.values.first ?? "")
            return indent + "  " + jsonString(field.key) + ": " + value
        }
        return "{\n" + members.joined(separator: ",\n") + "\n" + indent + "}"
    }

    static func jsonString(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

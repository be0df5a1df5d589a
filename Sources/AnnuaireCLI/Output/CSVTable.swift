import Foundation
import Messages

/// A CSV file read for an import (RFC 4180, with `;` accepted as the
/// separator as spreadsheets write it in French): a header line naming the
/// columns, then records, each with the line number it starts on so that a
/// report can point at it.
struct CSVTable {
    /// One record: its first line in the file (the header is line 1) and its fields by column.
    struct Row {
        var line: Int
        var fields: [String]
    }

    var header: [String]
    var rows: [Row]
    /// Records whose field count differs from the header's: line and count.
    var malformed: [(line: Int, count: Int)]

    /// Reads `path`; a missing or unreadable file is exit 74, an empty one a usage error.
    static func read(path: String) throws -> CSVTable {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError(CLIContext.texts(.errorFileUnreadable, ("file", path)), status: .ioError)
        }
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return try parse(text, name: path)
    }

    static func parse(_ text: String, name: String) throws -> CSVTable {
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r\n" && $0 != "\r" }
        let separator: Character = firstLine.filter { $0 == ";" }.count > firstLine.filter { $0 == "," }.count ? ";" : ","
        var records: [Row] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var fieldStarted = false
        var line = 1
        var recordLine = 1
        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty) { records.append(Row(line: recordLine, fields: fields)) }
            fields = []
            field = ""
            fieldStarted = false
        }
        var characters = Substring(text)
        while let character = characters.popFirst() {
            let isNewline = character == "\n" || character == "\r\n" || character == "\r"
            if quoted {
                if character == "\"" {
                    if characters.first == "\"" {
                        field.append("\"")
                        characters = characters.dropFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    if isNewline { line += 1 }
                    field.append(character)
                }
            } else if character == "\"" && !fieldStarted {
                quoted = true
                fieldStarted = true
            } else if character == separator {
                fields.append(field)
                field = ""
                fieldStarted = false
            } else if isNewline {
                endRecord()
                line += 1
                recordLine = line
            } else {
                field.append(character)
                fieldStarted = true
            }
        }
        if quoted { throw CLIError.usage(CLIContext.texts(.errorCSVQuoteOpen, ("file", name), ("line", "\(recordLine)"))) }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        guard let header = records.first else {
            throw CLIError.usage(CLIContext.texts(.errorCSVEmpty, ("file", name)))
        }
        let width = header.fields.count
        var rows: [Row] = []
        var malformed: [(line: Int, count: Int)] = []
        for record in records.dropFirst() {
            if record.fields.count == width {
                rows.append(record)
            } else {
                malformed.append((record.line, record.fields.count))
            }
        }
        return CSVTable(header: header.fields.map { $0.trimmingCharacters(in: .whitespaces) }, rows: rows, malformed: malformed)
    }
}

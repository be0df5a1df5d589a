import Foundation

/// LDIF change records (RFC 2849): the format of `Fixtures/` and of bulk
/// loads. Supports comments, folded lines, `::` base64 values, and the
/// `add`, `modify` (add/delete/replace/increment) and `delete` change types;
/// a record without `changetype` is an add. `:<` URL values are refused.
///
/// ```
/// ldif-changes = version-spec 1*(1*SEP ldif-change-record)
/// ldif-change-record = dn-spec SEP *control changerecord
/// changerecord = "changetype:" FILL (change-add / change-delete / change-modify / change-moddn)
/// ```
public enum LDIFRecord: Hashable, Sendable {
    case add(dn: String, attributes: [PartialAttribute])
    case modify(dn: String, changes: [ModifyRequest.Change])
    case delete(dn: String)

    public var dn: String {
        switch self {
        case .add(let dn, _), .modify(let dn, _), .delete(let dn): dn
        }
    }
}

/// A line of LDIF that cannot be read, with its line number.
public struct LDIFError: Error, Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var reason: String
    public var description: String { "LDIF line \(line): \(reason)" }
}

public enum LDIFParser {
    public static func parse(_ text: String) throws -> [LDIFRecord] {
        // Unfold: a line beginning with one space continues the previous one.
        var lines: [(number: Int, text: String)] = []
        // Split on LF in the scalars: "\r\n" is one Character in Swift and would not split.
        for (index, raw) in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = String(String.UnicodeScalarView(raw))
            if line.unicodeScalars.last == "\r" { line.unicodeScalars.removeLast() }
            if line.hasPrefix(" "), let last = lines.indices.last, !lines[last].text.isEmpty {
                lines[last].text += line.dropFirst()
            } else {
                lines.append((index + 1, line))
            }
        }
        var records: [LDIFRecord] = []
        var block: [(number: Int, text: String)] = []
        var first = true
        for line in lines + [(lines.count + 1, "")] {
            if line.text.hasPrefix("#") { continue }
            if line.text.isEmpty {
                // A "version: 1" line may stand alone before the first record (RFC 2849).
                if first, block.count == 1, block[0].text.lowercased().hasPrefix("version:") {
                    block = []
                }
                if !block.isEmpty {
                    records.append(try record(block))
                    first = false
                }
                block = []
            } else {
                block.append(line)
            }
        }
        return records
    }

    private static func record(_ block: [(number: Int, text: String)]) throws -> LDIFRecord {
        var pairs: [(number: Int, name: String, value: [UInt8])] = []
        for line in block {
            if line.text == "-" {
                pairs.append((line.number, "-", []))
                continue
            }
            guard let colon = line.text.firstIndex(of: ":") else {
                throw LDIFError(line: line.number, reason: "expected \"name: value\"")
            }
            let name = String(line.text[..<colon])
            var rest = line.text[line.text.index(after: colon)...]
            let value: [UInt8]
            if rest.hasPrefix(":") {
                rest = rest.dropFirst().drop { $0 == " " }
                guard let decoded = Data(base64Encoded: String(rest)) else {
                    throw LDIFError(line: line.number, reason: "invalid base64 value for \(name)")
                }
                value = Array(decoded)
            } else if rest.hasPrefix("<") {
                throw LDIFError(line: line.number, reason: "URL values (\":<\") are not supported")
            } else {
                value = Array(rest.drop { $0 == " " }.utf8)
            }
            pairs.append((line.number, name, value))
        }
        if pairs.first?.name.lowercased() == "version" { pairs.removeFirst() }
        guard let first = pairs.first, first.name.lowercased() == "dn" else {
            throw LDIFError(line: block[0].number, reason: "a record must begin with dn:")
        }
        let dn = String(decoding: first.value, as: UTF8.self)
        var body = Array(pairs.dropFirst())
        var changeType = "add"
        var changeTypeLine = first.number
        if let next = body.first, next.name.lowercased() == "changetype" {
            changeTypeLine = next.number
            changeType = String(decoding: next.value, as: UTF8.self).lowercased()
            body.removeFirst()
        }
        switch changeType {
        case "add":
            var attributes: [PartialAttribute] = []
            for pair in body {
                guard pair.name != "-" else { throw LDIFError(line: pair.number, reason: "\"-\" outside a modify record") }
                if let index = attributes.firstIndex(where: { $0.type.lowercased() == pair.name.lowercased() }) {
                    attributes[index].values.append(pair.value)
                } else {
                    attributes.append(PartialAttribute(type: pair.name, values: [pair.value]))
                }
            }
            return .add(dn: dn, attributes: attributes)
        case "delete":
            return .delete(dn: dn)
        case "modify":
            var changes: [ModifyRequest.Change] = []
            var index = 0
            while index < body.count {
                let head = body[index]
                let operation: ModifyRequest.Change.Operation
                switch head.name.lowercased() {
                case "add": operation = .add
                case "delete": operation = .delete
                case "replace": operation = .replace
                case "increment": operation = .increment
                default: throw LDIFError(line: head.number, reason: "expected add:, delete:, replace: or increment:")
                }
                let type = String(decoding: head.value, as: UTF8.self)
                var values: [[UInt8]] = []
                index += 1
                while index < body.count, body[index].name != "-" {
                    guard body[index].name.lowercased() == type.lowercased() else {
                        throw LDIFError(line: body[index].number, reason: "expected \(type): or \"-\"")
                    }
                    values.append(body[index].value)
                    index += 1
                }
                index += 1  // the "-"
                changes.append(.init(operation: operation, modification: PartialAttribute(type: type, values: values)))
            }
            return .modify(dn: dn, changes: changes)
        default:
            throw LDIFError(line: changeTypeLine, reason: "unsupported changetype \(changeType)")
        }
    }
}

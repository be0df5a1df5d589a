public import Logging
public import ArgumentParser
public import Foundation
import Glibc
import NIOConcurrencyHelpers

/// A swift-log `LogHandler` writing one JSON object per line (JSON Lines,
/// RFC 8259 texts separated by `\n`) for journald and log collectors
/// (`annuaire serve --log-format json`):
///
/// ```
/// {"time":"2026-12-03T08:00:00.123Z","level":"info","logger":"annuaire","message":"slapd is ready","pid":"4242","uri":"ldapi://…"}
/// ```
///
/// `time` (RFC 3339, UTC, milliseconds), `level`, `logger` (the label) and
/// `message` come first; each metadata key follows as a string, nested
/// metadata as JSON objects and arrays. A metadata key equal to one of the
/// four fixed keys is written with a `meta_` prefix. Nothing is dropped or
/// added: the handler does not see passwords because the callers never log
/// them.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let label: String
    private let output: JSONLogOutput

    /// A handler for `label` writing to standard error (where journald and `2>` collect it).
    public static func standardError(label: String) -> JSONLogHandler {
        JSONLogHandler(label: label, output: .standardError)
    }

    public init(label: String, output: JSONLogOutput) {
        self.label = label
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        output.write(Self.line(
            time: Date(), level: event.level, label: label, message: "\(event.message)", metadata: merged))
    }

    static let fixedKeys: Set<String> = ["time", "level", "logger", "message"]

    /// One JSON line (with its `\n`), keys in a stable order: the fixed ones, then metadata sorted by key.
    public static func line(time: Date, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata) -> String {
        var fields = [
            "\"time\":\(quoted(timestamp(time)))",
            "\"level\":\(quoted(level.rawValue))",
            "\"logger\":\(quoted(label))",
            "\"message\":\(quoted(message))",
        ]
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            let name = fixedKeys.contains(key) ? "meta_" + key : key
            fields.append("\(quoted(name)):\(json(value))")
        }
        return "{" + fields.joined(separator: ",") + "}\n"
    }

    private static func json(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let string): quoted(string)
        case .stringConvertible(let convertible): quoted(convertible.description)
        case .array(let values): "[" + values.map(json).joined(separator: ",") + "]"
        case .dictionary(let dictionary):
            "{" + dictionary.sorted(by: { $0.key < $1.key }).map { "\(quoted($0.key)):\(json($0.value))" }.joined(separator: ",") + "}"
        }
    }

    /// A JSON string (RFC 8259 §7): quotation mark, reverse solidus and control characters escaped.
    static func quoted(_ text: String) -> String {
        var result = "\""
        result.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x2028 || scalar.value == 0x2029:
                result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    private static func timestamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        let milliseconds = Int((date.timeIntervalSince1970 - Double(seconds)) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), milliseconds)
    }
}

/// Where JSON lines go: standard error, or (in tests) a closure. Each line is
/// written with one `write(2)` under a lock, so lines from several threads
/// never interleave.
public struct JSONLogOutput: Sendable {
    private let sink: @Sendable (String) -> Void

    public init(_ sink: @escaping @Sendable (String) -> Void) { self.sink = sink }

    private static let lock = NIOLock()

    public static let standardError = JSONLogOutput { line in
        lock.withLock {
            var bytes = Array(line.utf8)
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeMutableBytes { buffer in
                    Glibc.write(2, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                }
                if written <= 0 { break }
                offset += written
            }
        }
    }

    func write(_ line: String) { sink(line) }
}

/// `--log-format`: `text` (swift-log's stream handler, for a terminal) or `json` (JSON Lines).
public enum LogFormat: String, CaseIterable, Sendable {
    case text
    case json
}

extension LogFormat: ExpressibleByArgument {}

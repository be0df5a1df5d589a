public import Logging
import NIOConcurrencyHelpers

/// Keeps every record a `Logger` made with it (swift-log `LogHandler`), for
/// tests that read the logs: one line per operation, no password anywhere.
public final class LogCapture: Sendable {
    /// One log call: level, message and metadata (the handler's and the call's).
    public struct Record: Sendable {
        public var level: Logger.Level
        public var message: String
        public var metadata: [String: String]

        /// The message and every metadata key and value, as one text to search.
        public var text: String {
            ([message] + metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
        }
    }

    private let box = NIOLockedValueBox<[Record]>([])

    public init() {}

    public var records: [Record] { box.withLockedValue { $0 } }

    /// A logger writing into this capture, at `level` and above.
    public func logger(label: String = "annuaire.tests.capture", level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: label) { _ in Handler(capture: self) }
        logger.logLevel = level
        return logger
    }

    fileprivate func append(_ record: Record) { box.withLockedValue { $0.append(record) } }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var merged = metadata
            for (key, value) in event.metadata ?? [:] { merged[key] = value }
            capture.append(Record(
                level: event.level, message: "\(event.message)",
                metadata: merged.mapValues { "\($0)" }))
        }
    }
}

import Foundation
import Logging
import NIOConcurrencyHelpers
import ServerOperations
import Testing

/// `--log-format json`: one JSON object per line that a log collector parses.
@Suite("JSON log lines")
struct JSONLogHandlerTests {
    static func object(_ line: String) throws -> [String: Any] {
        #expect(line.hasSuffix("\n"))
        #expect(!line.dropLast().contains("\n"), "one line per record")
        let value = try JSONSerialization.jsonObject(with: Data(line.utf8))
        return try #require(value as? [String: Any])
    }

    @Test("fixed keys first, metadata as strings, nested metadata as JSON, control characters and quotes escaped, colliding keys prefixed")
    func lineFormat() throws {
        let line = JSONLogHandler.line(
            time: Date(timeIntervalSince1970: 1_796_256_000.25), level: .warning, label: "annuaire",
            message: "slapd exited \"unexpectedly\"\nrestarting\u{1}",
            metadata: ["status": "137", "level": "shadowed", "nested": .dictionary(["a": .array(["1", "2"])])])
        #expect(line.hasPrefix(#"{"time":"2026-12-03T00:00:00.250Z","level":"warning","logger":"annuaire","message":"#))
        let object = try Self.object(line)
        #expect(object["message"] as? String == "slapd exited \"unexpectedly\"\nrestarting\u{1}")
        #expect(object["status"] as? String == "137")
        #expect(object["level"] as? String == "warning")
        #expect(object["meta_level"] as? String == "shadowed")
        #expect(((object["nested"] as? [String: Any])?["a"] as? [String]) == ["1", "2"])
    }

    @Test("a Logger on the handler writes the logger's and the call's metadata, and respects the level")
    func throughLogger() throws {
        let lines = NIOLockedValueBox<[String]>([])
        var logger = Logger(label: "annuaire.test") { label in
            var handler = JSONLogHandler(label: label, output: JSONLogOutput { line in lines.withLockedValue { $0.append(line) } })
            handler.logLevel = .info
            return handler
        }
        logger[metadataKey: "connection"] = "7"
        logger.debug("not written")
        logger.info("bind", metadata: ["dn": "uid=XXX0606XX06,ou=people,dc=annuaire,dc=local", "result": "0"])
        let written = lines.withLockedValue { $0 }
        #expect(written.count == 1)
        let object = try Self.object(try #require(written.first))
        #expect(object["logger"] as? String == "annuaire.test")
        #expect(object["connection"] as? String == "7")
        #expect(object["dn"] as? String == "uid=XXX0606XX06,ou=people,dc=annuaire,dc=local")
        #expect(object["level"] as? String == "info")
    }
}

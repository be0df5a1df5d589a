import Foundation
import Testing

/// The real client programs of Tests/Interop (python ldap3/python-ldap, JNDI,
/// recipes of SSO products): each runs one scenario and prints one JSON
/// object. A missing interpreter or module fails the test with the command
/// that installs it; it never skips.
public enum InteropProgram {
    public static func requirePython(module: String, install: String) async throws {
        let check = try await CommandLineTool.run("python3", ["-c", "import \(module)"])
        try #require(check.status == 0, "python3 cannot import \(module): run `make test-deps` (\(install)). \(check.error)")
    }

    public static func requireJava() async throws {
        let check = try await CommandLineTool.run("java", ["-version"])
        try #require(check.status == 0, "no working `java` in PATH (JDK 17 or later): run `make test-deps` (apt-get install default-jdk-headless). \(check.error)")
    }

    /// Runs a program and decodes the one JSON object it printed (snake_case keys).
    public static func run<Report: Decodable>(
        _ report: Report.Type, _ executable: String, _ arguments: [String], environment: [String: String]
    ) async throws -> Report {
        let result = try await CommandLineTool.run(executable, arguments, environment: environment)
        try #require(result.status == 0, "\(executable) \(arguments.joined(separator: " ")) exited with \(result.status): \(result.error)\n\(result.output)")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(Report.self, from: Data(result.output.utf8))
        } catch {
            Issue.record("cannot decode the JSON printed by \(arguments.last ?? executable): \(error)\nstdout: \(result.output)\nstderr: \(result.error)")
            throw error
        }
    }
}

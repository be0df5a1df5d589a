import Foundation

/// Runs a real client program (ldap-utils, python) and captures what it printed.
public struct CommandResult: Sendable {
    public var status: Int32
    public var output: String
    public var error: String
}

public enum CommandLineTool {
    /// Runs `executable` (looked up in PATH) off the cooperative pool.
    public static func run(_ executable: String, _ arguments: [String], input: String? = nil, environment: [String: String] = [:]) async throws -> CommandResult {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                do {
                    continuation.resume(returning: try runBlocking(executable, arguments, input: input, environment: environment))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    private static func runBlocking(_ executable: String, _ arguments: [String], input: String?, environment: [String: String]) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        var env = ProcessInfo.processInfo.environment
        // Ignore the machine's ldap.conf (LDAPNOINIT would also ignore the LDAPTLS_* variables).
        env["LDAPCONF"] = "/dev/null"
        env["LDAPRC"] = "/dev/null"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let stdout = Pipe()
        let stderr = Pipe()
        let stdin = Pipe()
        // Only this child gets these pipes: a child another test spawns meanwhile must not inherit
        // them (a write end of stdin kept open elsewhere means this child never sees end of input).
        for pipe in [stdout, stderr, stdin] {
            _ = fcntl(pipe.fileHandleForReading.fileDescriptor, F_SETFD, FD_CLOEXEC)
            _ = fcntl(pipe.fileHandleForWriting.fileDescriptor, F_SETFD, FD_CLOEXEC)
        }
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = stdin
        try process.run()
        // The input is written and stderr read on threads of their own while this one reads stdout:
        // a child that fills one pipe while the test waits on another would otherwise hang both.
        let writing = Background { [handle = stdin.fileHandleForWriting] in
            if let input { try? handle.write(contentsOf: Data(input.utf8)) }
            try? handle.close()
            return Data()
        }
        let readingError = Background { [handle = stderr.fileHandleForReading] in handle.readDataToEndOfFile() }
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let error = readingError.wait()
        _ = writing.wait()
        process.waitUntilExit()
        return CommandResult(
            status: process.terminationStatus,
            output: String(decoding: output, as: UTF8.self),
            error: String(decoding: error, as: UTF8.self)
        )
    }

    /// Blocking work on a thread of its own, waited for once.
    private final class Background: @unchecked Sendable {
        // Written by the thread before it signals, read only after `wait()`.
        private var result = Data()
        private let done = DispatchSemaphore(value: 0)

        init(_ work: @escaping @Sendable () -> Data) {
            Thread.detachNewThread { [self] in
                result = work()
                done.signal()
            }
        }

        func wait() -> Data {
            done.wait()
            return result
        }
    }
}

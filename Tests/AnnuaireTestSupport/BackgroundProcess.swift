import Foundation

/// A long-running helper program of a test (an SMTP server, say): started,
/// waited for until it prints its ready line, and stopped by closing its
/// standard input (then SIGTERM, then SIGKILL). Every wait is bounded, so a
/// helper that never gets ready fails the test instead of hanging it.
public final class BackgroundProcess: @unchecked Sendable {
    private let process: Process
    private let stdin: Pipe
    /// What the program wrote on its standard error (a temporary file).
    let errorLog: URL

    private init(process: Process, stdin: Pipe, errorLog: URL) {
        self.process = process
        self.stdin = stdin
        self.errorLog = errorLog
    }

    /// Starts `executable` (looked up in PATH) and returns once it printed a
    /// line starting with `readyPrefix`; that line is returned too.
    public static func start(
        _ executable: String, _ arguments: [String], readyPrefix: String, timeoutSeconds: Double = 20
    ) async throws -> (BackgroundProcess, readyLine: String) {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try startBlocking(executable, arguments, readyPrefix: readyPrefix, timeoutSeconds: timeoutSeconds) })
            }
        }
    }

    private static func startBlocking(
        _ executable: String, _ arguments: [String], readyPrefix: String, timeoutSeconds: Double
    ) throws -> (BackgroundProcess, readyLine: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        let stdin = Pipe()
        let stdout = Pipe()
        let errorLog = FileManager.default.temporaryDirectory.appendingPathComponent("ann-bg-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: errorLog.path, contents: nil)
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = try FileHandle(forWritingTo: errorLog)
        try process.run()
        let background = BackgroundProcess(process: process, stdin: stdin, errorLog: errorLog)
        // Past the deadline the program is killed, which ends the read below.
        let deadline = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeoutSeconds, execute: deadline)
        defer { deadline.cancel() }
        var buffer = Data()
        while true {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty {
                let log = (try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""
                background.stopBlocking()
                throw BackgroundProcessError("\(executable) \(arguments.first ?? "") ended or timed out before printing \(readyPrefix): \(log)")
            }
            buffer.append(chunk)
            let text = String(decoding: buffer, as: UTF8.self)
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix(readyPrefix) }) {
                return (background, String(line))
            }
        }
    }

    /// Stops the program and waits for it (bounded).
    public func stop() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                self.stopBlocking()
                continuation.resume()
            }
        }
    }

    private func stopBlocking() {
        try? stdin.fileHandleForWriting.close()
        for (signal, wait) in [(Int32(0), 5.0), (SIGTERM, 3.0), (SIGKILL, 3.0)] {
            if signal != 0, process.isRunning { kill(process.processIdentifier, signal) }
            let end = Date().addingTimeInterval(wait)
            while process.isRunning, Date() < end { usleep(20_000) }
            if !process.isRunning { break }
        }
        try? FileManager.default.removeItem(at: errorLog)
    }
}

/// A helper program that did not get ready.
public struct BackgroundProcessError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A loopback TCP port nobody listens on at the time of the call.
public enum FreePort {
    public static func pick() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BackgroundProcessError("socket() failed: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0 else { throw BackgroundProcessError("bind() failed: errno \(errno)") }
        let named = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        guard named == 0 else { throw BackgroundProcessError("getsockname() failed: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

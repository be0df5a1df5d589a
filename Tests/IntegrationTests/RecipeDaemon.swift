import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A daemon a recipe runs for the length of one test (apache2 in the
/// foreground): started with its output in a file, stopped with SIGTERM
/// and waited for off the cooperative pool.
final class RecipeDaemon: @unchecked Sendable {
    let process = Process()
    let logPath: String

    init(_ executable: String, _ arguments: [String], logPath: String, environment: [String: String] = [:]) throws {
        self.logPath = logPath
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["LDAPCONF"] = "/dev/null"
        env["LDAPRC"] = "/dev/null"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        guard FileManager.default.createFile(atPath: logPath, contents: nil) else {
            throw RecipeError("cannot create \(logPath)")
        }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var output: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Kills the daemon and its children. Foundation starts the child in a
    /// process group of its own, with the test runner's signal mask, in which
    /// SIGTERM is blocked (apache2 would ignore it): SIGKILL to the group.
    func stop() async {
        let process = self.process
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                let pid = process.processIdentifier
                if process.isRunning, pid > 0 {
                    if getpgid(pid) == pid { kill(-pid, SIGKILL) } else { kill(pid, SIGKILL) }
                }
                process.waitUntilExit()
                continuation.resume()
            }
        }
    }

    /// Waits until something accepts TCP connections on 127.0.0.1:`port`.
    static func waitForListener(port: Int, seconds: Double = 15) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if canConnect(port: port) { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// A loopback port nobody listens on now (the kernel's choice for port 0).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RecipeError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw RecipeError("bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw RecipeError("getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct RecipeError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

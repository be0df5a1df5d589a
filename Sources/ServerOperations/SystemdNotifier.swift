public import Foundation
import Glibc

/// The service manager's readiness protocol (sd_notify(3), `Type=notify` in
/// systemd.service(5)): state lines such as `READY=1`, `STATUS=…` and
/// `STOPPING=1` sent as one datagram to the `AF_UNIX` socket named by
/// `$NOTIFY_SOCKET` (a path, or an abstract socket when it starts with `@`).
/// Without the variable (not started by systemd) every call does nothing.
/// No libsystemd: the protocol is one `sendto(2)`.
public struct SystemdNotifier: Sendable {
    /// The socket's path as given (`@` first for the abstract namespace), nil when not under systemd.
    public let socketPath: String?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let path = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        socketPath = path.flatMap { $0.hasPrefix("/") || $0.hasPrefix("@") ? $0 : nil }
    }

    /// The listeners are up: `READY=1` with a status line.
    @discardableResult
    public func ready(status: String) -> Bool { send(["READY=1", "STATUS=\(status)", "MAINPID=\(getpid())"]) }

    /// Shutting down: `STOPPING=1`.
    @discardableResult
    public func stopping() -> Bool { send(["STOPPING=1"]) }

    /// A free-form status line (`systemctl status` shows it).
    @discardableResult
    public func status(_ text: String) -> Bool { send(["STATUS=\(text)"]) }

    /// Sends the lines as one datagram; returns whether it was sent (false without `$NOTIFY_SOCKET`).
    @discardableResult
    public func send(_ lines: [String]) -> Bool {
        guard let socketPath else { return false }
        let message = lines.map { $0.replacingOccurrences(of: "\n", with: " ") }.joined(separator: "\n")
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var pathBytes = Array(socketPath.utf8)
        if pathBytes.first == UInt8(ascii: "@") { pathBytes[0] = 0 }  // abstract namespace
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard pathBytes.count < capacity else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in pathBytes.enumerated() { buffer[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + pathBytes.count + (pathBytes.first == 0 ? 0 : 1))
        let sent = message.withCString { text in
            withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                    sendto(fd, text, strlen(text), Int32(MSG_NOSIGNAL), socketAddress, length)
                }
            }
        }
        return sent >= 0
    }
}

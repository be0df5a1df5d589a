import Foundation
import Glibc
import ServerOperations
import Testing

/// sd_notify(3) without libsystemd: the datagram systemd reads on `$NOTIFY_SOCKET`.
@Suite("systemd readiness notification")
struct SystemdNotifierTests {
    /// A datagram socket bound at a fresh path, as systemd makes one for a `Type=notify` service.
    final class NotifySocket: Sendable {
        let path: String
        let fd: Int32

        init() throws {
            path = "/tmp/ann-notify-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { buffer in
                for (index, byte) in path.utf8.enumerated() { buffer[index] = byte }
            }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard fd >= 0, bound == 0 else { throw BackupError("cannot bind \(path)") }
            var timeout = timeval(tv_sec: 30, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        /// The next datagram (waits up to 30 s), or nil.
        func receive() -> String? {
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = recv(fd, &buffer, buffer.count, 0)
            return count > 0 ? String(decoding: buffer.prefix(count), as: UTF8.self) : nil
        }

        deinit {
            close(fd)
            unlink(path)
        }
    }

    @Test("READY=1 with a status line and the pid, then STOPPING=1, each one datagram on $NOTIFY_SOCKET")
    func readyAndStopping() throws {
        let socket = try NotifySocket()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.path])
        #expect(notifier.ready(status: "serving on ldap://127.0.0.1:3389"))
        let ready = try #require(socket.receive())
        #expect(ready.split(separator: "\n").contains("READY=1"))
        #expect(ready.split(separator: "\n").contains("STATUS=serving on ldap://127.0.0.1:3389"))
        #expect(ready.split(separator: "\n").contains("MAINPID=\(getpid())"))
        #expect(notifier.stopping())
        #expect(socket.receive() == "STOPPING=1")
    }

    @Test("without $NOTIFY_SOCKET (not under systemd) nothing is sent; a relative path is not a socket name")
    func notUnderSystemd() {
        #expect(SystemdNotifier(environment: [:]).ready(status: "x") == false)
        #expect(SystemdNotifier(environment: ["NOTIFY_SOCKET": "relative/path"]).socketPath == nil)
        #expect(SystemdNotifier(environment: ["NOTIFY_SOCKET": "@/org/freedesktop/systemd1/notify"]).socketPath != nil)
    }
}

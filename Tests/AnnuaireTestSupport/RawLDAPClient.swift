import Foundation
import Glibc
public import LDAPProtocol

/// A TCP client that sends raw bytes or encoded LDAPMessages and reads whole
/// PDUs back: for pipelining and malformed-input tests, where a real client
/// library would refuse to send what the test needs. Its socket calls block,
/// so they run on a thread of their own, never on the cooperative pool that
/// the in-process server needs.
public final class RawLDAPClient: @unchecked Sendable {
    private let fd: Int32
    private var buffer: [UInt8] = []

    /// `timeoutSeconds` bounds each receive. It is generous: the full suite runs
    /// dozens of in-process servers on Swift's cooperative threads (2 on this
    /// machine), and CPU-heavy tests beside them can delay an answer by seconds;
    /// a hung server still fails the test.
    public init(port: Int, timeoutSeconds: Int = 30) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw EmbeddedSlapdTestError("socket() failed") }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            close(fd)
            throw EmbeddedSlapdTestError("connect() failed: \(String(cString: strerror(errno)))")
        }
    }

    deinit { close(fd) }

    public func send(_ bytes: [UInt8]) async throws {
        try await offload { try self.sendBlocking(bytes) }
    }

    private func sendBlocking(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw EmbeddedSlapdTestError("send() failed: \(String(cString: strerror(errno)))") }
            offset += sent
        }
    }

    public func send(_ message: LDAPMessage) async throws {
        try await send(try message.serializedBytes())
    }

    /// The next PDU, or nil when the server closed the connection.
    public func receive() async throws -> LDAPMessage? {
        try await offload { try self.receiveBlocking() }
    }

    private func receiveBlocking() throws -> LDAPMessage? {
        while true {
            if case .complete(let length) = try PDUFramer.frame(buffer, maximumPDUSize: 64 * 1024 * 1024) {
                let pdu = buffer[..<length]
                let message = try LDAPMessage(berEncoded: pdu)
                buffer.removeFirst(length)
                return message
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = recv(fd, &chunk, chunk.count, 0)
            if count == 0 { return nil }
            guard count > 0 else { throw EmbeddedSlapdTestError("recv() failed: \(String(cString: strerror(errno)))") }
            buffer += chunk[..<count]
        }
    }

    private func offload<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}

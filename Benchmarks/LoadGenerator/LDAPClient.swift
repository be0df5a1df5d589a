import Foundation
import Glibc
import LDAPProtocol

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A blocking LDAP connection for one load-generator thread: requests are
/// `LDAPMessage(...).serializedBytes()`, responses are framed with
/// `PDUFramer` and decoded with `LDAPMessage(berEncoded:)`. `ldap://host:port`
/// (TCP, TCP_NODELAY) or `ldapi://<percent-encoded socket path>`.
final class LDAPClient {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var nextID = 1

    init(url: String) throws {
        if url.hasPrefix("ldapi://") {
            let encoded = String(url.dropFirst("ldapi://".count))
            guard let path = encoded.removingPercentEncoding, !path.isEmpty else { throw BenchError("bad ldapi URL \(url)") }
            fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw BenchError("socket: \(String(cString: strerror(errno)))") }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            let bytes = Array(path.utf8)
            guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { throw BenchError("socket path too long") }
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (i, b) in bytes.enumerated() { raw[i] = b }
                raw[bytes.count] = 0
            }
            let rc = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard rc == 0 else {
                let message = String(cString: strerror(errno))
                Glibc.close(fd)
                throw BenchError("connect \(url): \(message)")
            }
        } else if url.hasPrefix("ldap://") {
            let rest = url.dropFirst("ldap://".count).split(separator: "/").first.map(String.init) ?? ""
            guard let colon = rest.lastIndex(of: ":"), let port = UInt16(rest[rest.index(after: colon)...]) else {
                throw BenchError("bad URL \(url): expected ldap://HOST:PORT")
            }
            let host = String(rest[..<colon])
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw BenchError("socket: \(String(cString: strerror(errno)))") }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { throw BenchError("bad IPv4 address \(host)") }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let rc = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard rc == 0 else {
                let message = String(cString: strerror(errno))
                Glibc.close(fd)
                throw BenchError("connect \(url): \(message)")
            }
        } else {
            throw BenchError("unsupported URL \(url)")
        }
        buffer.reserveCapacity(65536)
    }

    deinit { if fd >= 0 { Glibc.close(fd) } }

    /// Sends one request; returns its messageID.
    @discardableResult
    func send(_ operation: ProtocolOperation, controls: [LDAPControl] = []) throws -> Int {
        let id = nextID
        nextID = nextID == LDAPMessage.maxInt ? 1 : nextID + 1
        let bytes = try LDAPMessage(messageID: id, operation: operation, controls: controls).serializedBytes()
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw BenchError("send: \(String(cString: strerror(errno)))")
            }
            sent += n
        }
        return id
    }

    /// Sends a request whose protocolOp is already BER-encoded (`LDAPProtocol` encodes
    /// the requests a server receives only for the operations its tests need).
    @discardableResult
    func send(rawOperation: [UInt8]) throws -> Int {
        let id = nextID
        nextID = nextID == LDAPMessage.maxInt ? 1 : nextID + 1
        var idBytes: [UInt8] = []
        var v = id
        repeat { idBytes.insert(UInt8(v & 0xFF), at: 0); v >>= 8 } while v > 0
        if idBytes[0] & 0x80 != 0 { idBytes.insert(0, at: 0) }
        let bytes = BER.tlv(0x30, BER.tlv(0x02, idBytes) + rawOperation)
        try write(bytes)
        return id
    }

    private func write(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw BenchError("send: \(String(cString: strerror(errno)))")
            }
            sent += n
        }
    }

    /// The next message from the server.
    func receive() throws -> LDAPMessage {
        while true {
            let pending = buffer[start...]
            if case .complete(let length) = try PDUFramer.frame(pending, maximumPDUSize: 64 << 20) {
                let message = try LDAPMessage(berEncoded: buffer[start..<start + length])
                start += length
                if start == buffer.count {
                    buffer.removeAll(keepingCapacity: true)
                    start = 0
                }
                return message
            }
            if start > 0 {
                buffer.removeFirst(start)
                start = 0
            }
            let old = buffer.count
            buffer.append(contentsOf: repeatElement(0, count: 65536))
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + old, 65536, 0) }
            if n < 0 && errno == EINTR {
                buffer.removeLast(65536)
                continue
            }
            buffer.removeLast(65536 - max(n, 0))
            if n < 0 { throw BenchError("recv: \(String(cString: strerror(errno)))") }
            if n == 0 { throw BenchError("connection closed by the server") }
        }
    }

    func bindSimple(dn: String, password: String) throws -> LDAPResult {
        let id = try send(.bindRequest(BindRequest(name: dn, authentication: .simple(password: Array(password.utf8)))))
        return try result(of: id)
    }

    func bindSASLExternal() throws -> LDAPResult {
        let id = try send(.bindRequest(BindRequest(name: "", authentication: .sasl(mechanism: "EXTERNAL", credentials: []))))
        return try result(of: id)
    }

    /// Waits for the one-message response of `id` and returns its result.
    func result(of id: Int) throws -> LDAPResult {
        while true {
            let message = try receive()
            guard message.messageID == id else {
                if message.messageID == 0 { throw BenchError("notice of disconnection: \(message.operation)") }
                continue
            }
            switch message.operation {
            case .bindResponse(let response): return response.result
            case .modifyResponse(let r), .addResponse(let r), .deleteResponse(let r), .searchResultDone(let r): return r
            case .extendedResponse(let response): return response.result
            default: throw BenchError("unexpected response \(message.operation.name)")
            }
        }
    }

    /// A search: the number of entries and the final message (result and controls).
    func search(_ request: SearchRequest, controls: [LDAPControl] = []) throws -> (entries: Int, result: LDAPResult, controls: [LDAPControl]) {
        let id = try send(.searchRequest(request), controls: controls)
        var entries = 0
        while true {
            let message = try receive()
            guard message.messageID == id else {
                if message.messageID == 0 { throw BenchError("notice of disconnection: \(message.operation)") }
                continue
            }
            switch message.operation {
            case .searchResultEntry: entries += 1
            case .searchResultReference: continue
            case .searchResultDone(let result): return (entries, result, message.controls)
            default: throw BenchError("unexpected response \(message.operation.name)")
            }
        }
    }

    /// Unbind, then close; `reset` closes with SO_LINGER 0 (no TIME_WAIT left behind).
    func unbindAndClose(reset: Bool) {
        _ = try? send(.unbindRequest)
        if reset {
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        }
    }
}

/// Just enough BER to write the Add and Delete requests.
enum BER {
    static func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [tag]
        if content.count < 0x80 {
            out.append(UInt8(content.count))
        } else {
            var length: [UInt8] = []
            var v = content.count
            while v > 0 { length.insert(UInt8(v & 0xFF), at: 0); v >>= 8 }
            out.append(0x80 | UInt8(length.count))
            out += length
        }
        return out + content
    }
    static func string(_ s: String) -> [UInt8] { tlv(0x04, Array(s.utf8)) }

    /// AddRequest ::= [APPLICATION 8] SEQUENCE { entry LDAPDN, attributes SEQUENCE OF SEQUENCE { type, SET OF value } }
    static func addRequest(_ dn: String, _ attributes: [(String, [String])]) -> [UInt8] {
        let list = attributes.flatMap { type, values in tlv(0x30, string(type) + tlv(0x31, values.flatMap(string))) }
        return tlv(0x68, string(dn) + tlv(0x30, list))
    }
    /// DelRequest ::= [APPLICATION 10] LDAPDN
    static func deleteRequest(_ dn: String) -> [UInt8] { tlv(0x4A, Array(dn.utf8)) }
}

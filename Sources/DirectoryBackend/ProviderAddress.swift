import Foundation
import Glibc

/// Where a connection to a provider goes, in one comparable form (issue #19, several machines):
/// `ip:port` (`[ip6]:port`) for `ldap://` and `ldaps://`, the socket's path for `ldapi://`.
///
/// libldap connects a handle to the first provider of the `--backend` list that answers and does
/// not say which one it was; the socket does (getpeername(2)). `ProviderWatch` uses both forms to
/// cut the connections of a provider that stopped answering (`ConnectionPool.sever(peers:)`).
public enum ProviderAddress {
    /// The peer of a connected socket, nil if it has none.
    public static func peer(ofSocket descriptor: CInt) -> String? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(descriptor, $0, &length) }
        }
        guard rc == 0 else { return nil }
        return text(of: &storage)
    }

    /// The forms a provider URI's connections have: each address its host name resolves to (with
    /// the URI's port, 389 or 636 by default), or the ldapi socket's path. Empty if it does not resolve.
    public static func addresses(ofURI uri: String) -> Set<String> {
        let lowered = uri.lowercased()
        guard let schemeEnd = uri.range(of: "://") else { return [] }
        var hostPart = String(uri[schemeEnd.upperBound...])
        if let slash = hostPart.firstIndex(of: "/") { hostPart = String(hostPart[..<slash]) }
        if lowered.hasPrefix("ldapi://") {
            guard let path = hostPart.removingPercentEncoding, !path.isEmpty else { return [] }
            return [path]
        }
        var host = hostPart
        var port = lowered.hasPrefix("ldaps://") ? "636" : "389"
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            let rest = host[host.index(after: close)...]
            if rest.hasPrefix(":") { port = String(rest.dropFirst()) }
            host = String(host[host.index(after: host.startIndex)..<close])
        } else if let colon = host.lastIndex(of: ":") {
            port = String(host[host.index(after: colon)...])
            host = String(host[..<colon])
        }
        if host.isEmpty { host = "localhost" }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, port, &hints, &list) == 0, let first = list else { return [] }
        defer { freeaddrinfo(first) }
        var found: Set<String> = []
        var next: UnsafeMutablePointer<addrinfo>? = first
        while let info = next {
            if let address = info.pointee.ai_addr {
                var storage = sockaddr_storage()
                withUnsafeMutableBytes(of: &storage) { target in
                    target.copyMemory(from: UnsafeRawBufferPointer(start: address, count: min(Int(info.pointee.ai_addrlen), target.count)))
                }
                if let text = text(of: &storage) { found.insert(text) }
            }
            next = info.pointee.ai_next
        }
        return found
    }

    private static func text(of storage: inout sockaddr_storage) -> String? {
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { address in
                    var ip = address.pointee.sin_addr
                    var buffer = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
                    guard inet_ntop(AF_INET, &ip, &buffer, socklen_t(buffer.count)) != nil else { return nil }
                    let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                    return "\(name):\(UInt16(bigEndian: address.pointee.sin_port))"
                }
            }
        case AF_INET6:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { address in
                    var ip = address.pointee.sin6_addr
                    var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
                    guard inet_ntop(AF_INET6, &ip, &buffer, socklen_t(buffer.count)) != nil else { return nil }
                    let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                    return "[\(name)]:\(UInt16(bigEndian: address.pointee.sin6_port))"
                }
            }
        case AF_UNIX:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_un.self, capacity: 1) { address in
                    withUnsafeBytes(of: address.pointee.sun_path) { bytes in
                        let path = String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
                        return path.isEmpty ? nil : path
                    }
                }
            }
        default:
            return nil
        }
    }
}

/// `HOST:PORT` of a listener (`--listen`, `--ldaps`, `--metrics-listen`, `--portal-listen`; IPv6 as `[::1]:3389`).
public struct ListenAddress: Sendable, Equatable {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`; nil when it is not one (no colon, empty host, port outside 0...65535).
    public init?(argument: String) {
        guard let colon = argument.lastIndex(of: ":") else { return nil }
        var host = String(argument[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, let port = Int(argument[argument.index(after: colon)...]), (0...65535).contains(port) else {
            return nil
        }
        self.host = host
        self.port = port
    }

    /// `HOST:PORT`, an IPv6 host in brackets as a URL wants it (`[::1]:3389`).
    public var urlAuthority: String { "\(host.contains(":") ? "[\(host)]" : host):\(port)" }

    public var defaultValueDescription: String { "\(host):\(port)" }
}

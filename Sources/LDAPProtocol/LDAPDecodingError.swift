/// A PDU that is not a well-formed LDAPMessage (RFC 4511 §4.1.1): the session
/// ends with a Notice of Disconnection carrying `protocolError`.
public struct LDAPDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

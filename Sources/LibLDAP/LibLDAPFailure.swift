import CLDAP
package import LDAPProtocol

/// What a libldap return code means, before each wrapper maps it to its error
/// (the server's pool answers `unavailable`/`busy`, the CLI's client a connection error).
package enum LibLDAPFailure: Equatable {
    /// The server cannot be reached or the connection was lost (LDAP_SERVER_DOWN, LDAP_CONNECT_ERROR).
    case unreachable
    /// No answer in time (LDAP_TIMEOUT).
    case timedOut
    /// libldap could not parse the filter string (LDAP_FILTER_ERROR).
    case badFilter
    /// Another local (negative) API code.
    case local
    /// A result code sent by the server.
    case result(LDAPResultCode)

    package init(_ rc: Int32) {
        switch rc {
        case LDAP_SERVER_DOWN, LDAP_CONNECT_ERROR: self = .unreachable
        case LDAP_TIMEOUT: self = .timedOut
        case LDAP_FILTER_ERROR: self = .badFilter
        case ..<0: self = .local
        default: self = .result(LDAPResultCode(Int(rc)))
        }
    }

    /// libldap's text for a code.
    package static func message(_ rc: Int32) -> String {
        guard let text = ldap_err2string(rc) else { return "error \(rc)" }
        return String(cString: text)
    }
}

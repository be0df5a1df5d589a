import CLDAP
import Glibc
import LDAPProtocol

/// The libldap code the two wrappers share (the server's pooled
/// `LDAPConnection` and the CLI's `DirectoryClient`): the handle's set-up,
/// sending a request, waiting for its message (RFC 4511 §4.1.1: by its
/// messageID), parsing and freeing the result, extended operations (§4.12),
/// entries, diagnostics and the classification of libldap's codes. Each
/// wrapper says how it reaches its handle and what a failure becomes: the
/// server answers `unavailable`/`busy`, the CLI a connection error.
protocol LibLDAPRequests {
    /// Seconds to wait for a result.
    var resultTimeoutSeconds: Int { get }
    /// The open handle, if any (closed or broken handles included: diagnostics read it).
    var handle: OpaquePointer? { get }
    func requireHandle() throws -> OpaquePointer
    func libldapError(_ rc: Int32, _ context: String) -> any Error
}

/// What a libldap return code means, before each wrapper maps it to its error.
enum LibLDAPFailure: Equatable {
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

    init(_ rc: Int32) {
        switch rc {
        case LDAP_SERVER_DOWN, LDAP_CONNECT_ERROR: self = .unreachable
        case LDAP_TIMEOUT: self = .timedOut
        case LDAP_FILTER_ERROR: self = .badFilter
        case ..<0: self = .local
        default: self = .result(LDAPResultCode(Int(rc)))
        }
    }

    /// libldap's text for a code.
    static func message(_ rc: Int32) -> String {
        guard let text = ldap_err2string(rc) else { return "error \(rc)" }
        return String(cString: text)
    }
}

/// Opens a libldap handle on `uri` as both wrappers use it: LDAPv3, referrals
/// not chased (LDAP_OPT_REFERRALS off), `networkTimeoutSeconds` to connect.
/// Returns libldap's code when the URI is unusable.
func openLibLDAPHandle(_ uri: String, networkTimeoutSeconds: Int) -> Result<OpaquePointer, LibLDAPCode> {
    var ld: OpaquePointer?
    let rc = ldap_initialize(&ld, uri)
    guard rc == LDAP_SUCCESS, let ld else { return .failure(LibLDAPCode(rc)) }
    var version = LDAP_VERSION3
    ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version)
    ldap_set_option(ld, LDAP_OPT_REFERRALS, nil)  // LDAP_OPT_OFF
    var networkTimeout = timeval(tv_sec: networkTimeoutSeconds, tv_usec: 0)
    ldap_set_option(ld, LDAP_OPT_NETWORK_TIMEOUT, &networkTimeout)
    return .success(ld)
}

extension LibLDAPRequests {
    /// Waits for the message of `msgid` (all of it for non-search operations).
    func waitResult(_ msgid: Int32, all: Bool) throws -> OpaquePointer {
        let ld = try requireHandle()
        switch CLDAPMemory.awaitMessage(ld, msgid, all: all, timeoutSeconds: resultTimeoutSeconds) {
        case .success(let message): return message
        case .failure(let code): throw libldapError(code.rawValue, code.rawValue == LDAP_TIMEOUT ? "waiting for a result" : "reading a result")
        }
    }

    /// Parses (and frees) a result message.
    func parseResult(_ message: OpaquePointer) throws -> ResultWithControls {
        let ld = try requireHandle()
        switch CLDAPMemory.parseResult(ld, message) {
        case .success(let result): return result
        case .failure(let code): throw libldapError(code.rawValue, "parsing a result")
        }
    }

    /// Sends a request through `start` and waits for its complete result.
    func run(_ context: String, _ start: (OpaquePointer, inout Int32) -> Int32) throws -> ResultWithControls {
        let ld = try requireHandle()
        var msgid: Int32 = 0
        let rc = start(ld, &msgid)
        guard rc == LDAP_SUCCESS else { throw libldapError(rc, context) }
        return try parseResult(try waitResult(msgid, all: true))
    }

    /// The server's diagnostic message of the last operation ("" without a handle).
    func diagnosticMessage() -> String {
        guard let handle else { return "" }
        var text: UnsafeMutablePointer<CChar>?
        ldap_get_option(handle, LDAP_OPT_DIAGNOSTIC_MESSAGE, &text)
        return CLDAPMemory.takeString(text) ?? ""
    }

    /// An extended operation (RFC 4511 §4.12): the result with its controls, and the response name and value.
    /// Only a failure to talk to the server throws; the result, success or not, is returned.
    func extendedOperation(
        name: String, value: [UInt8]?, controls: [LDAPProtocol.LDAPControl]
    ) throws -> (result: ResultWithControls, name: String?, value: [UInt8]?) {
        let ld = try requireHandle()
        var msgid: Int32 = 0
        let rc = try CLDAPMemory.withControls(controls) { serverControls -> Int32 in
            if let value {
                return CLDAPMemory.withBerval(value) { ldap_extended_operation(ld, name, &$0, serverControls, nil, &msgid) }
            }
            return ldap_extended_operation(ld, name, nil, serverControls, nil, &msgid)
        }
        guard rc == LDAP_SUCCESS else { throw libldapError(rc, "extended operation") }
        let message = try waitResult(msgid, all: true)
        var oid: UnsafeMutablePointer<CChar>?
        var data: UnsafeMutablePointer<berval>?
        let parseRC = ldap_parse_extended_result(ld, message, &oid, &data, 0)
        guard parseRC == LDAP_SUCCESS else {
            ldap_msgfree(message)
            throw libldapError(parseRC, "parsing an extended result")
        }
        let responseName = CLDAPMemory.takeString(oid)
        var responseValue: [UInt8]?
        if let data {
            responseValue = CLDAPMemory.bytes(data.pointee)
            ber_bvfree(data)
        }
        return (try parseResult(message), responseName, responseValue)
    }

    /// The entry of a search entry message (the message is not freed).
    func readEntry(_ ld: OpaquePointer, _ message: OpaquePointer) throws -> SearchResultEntry {
        switch CLDAPMemory.readEntry(ld, message) {
        case .success(let entry): return entry
        case .failure(let code): throw libldapError(code.rawValue, "reading an entry")
        }
    }
}

import CLDAP

/// The request/result plumbing the two libldap wrappers share (the server's
/// pooled `LDAPConnection` and the CLI's `DirectoryClient`): send a request,
/// wait for its message (RFC 4511 §4.1.1: by its messageID), parse and free
/// the result. Each wrapper says how it reaches its handle and how a libldap
/// code becomes its error.
protocol LibLDAPRequests {
    /// Seconds to wait for a result.
    var resultTimeoutSeconds: Int { get }
    func requireHandle() throws -> OpaquePointer
    func libldapError(_ rc: Int32, _ context: String) -> any Error
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
}

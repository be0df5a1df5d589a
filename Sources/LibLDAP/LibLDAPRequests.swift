import CLDAP
package import LDAPProtocol

/// The libldap code the two wrappers share (the server's pooled
/// `LDAPConnection` and the clients' `DirectoryClient`): sending each request
/// (RFC 4511 §4.2–§4.12), waiting for its message by its messageID (§4.1.1),
/// parsing and freeing the result, entries, diagnostics. Each wrapper says how
/// it reaches its handle and what a failure becomes: the server answers
/// `unavailable`/`busy`, a client a connection error.
package protocol LibLDAPRequests {
    /// Seconds to wait for a result.
    var resultTimeoutSeconds: Int { get }
    /// The open handle, if any (closed or broken handles included: diagnostics read it).
    var handle: OpaquePointer? { get }
    func requireHandle() throws -> OpaquePointer
    func libldapError(_ rc: Int32, _ context: String) -> any Error
}

extension LibLDAPRequests {
    /// Waits for the message of `msgid` (all of it for non-search operations).
    package func waitResult(_ msgid: Int32, all: Bool) throws -> OpaquePointer {
        let ld = try requireHandle()
        switch CLDAPMemory.awaitMessage(ld, msgid, all: all, timeoutSeconds: resultTimeoutSeconds) {
        case .success(let message): return message
        case .failure(let code): throw libldapError(code.rawValue, code.rawValue == LDAP_TIMEOUT ? "waiting for a result" : "reading a result")
        }
    }

    /// Parses (and frees) a result message.
    package func parseResult(_ message: OpaquePointer) throws -> ResultWithControls {
        let ld = try requireHandle()
        switch CLDAPMemory.parseResult(ld, message) {
        case .success(let result): return result
        case .failure(let code): throw libldapError(code.rawValue, "parsing a result")
        }
    }

    /// Sends a request through `start` and waits for its complete result.
    package func run(_ context: String, _ start: (OpaquePointer, inout Int32) -> Int32) throws -> ResultWithControls {
        let ld = try requireHandle()
        var msgid: Int32 = 0
        let rc = start(ld, &msgid)
        guard rc == LDAP_SUCCESS else { throw libldapError(rc, context) }
        return try parseResult(try waitResult(msgid, all: true))
    }

    /// The server's diagnostic message of the last operation ("" without a handle).
    package func diagnosticMessage() -> String {
        guard let handle else { return "" }
        var text: UnsafeMutablePointer<CChar>?
        ldap_get_option(handle, LDAP_OPT_DIAGNOSTIC_MESSAGE, &text)
        return CLDAPMemory.takeString(text) ?? ""
    }

    // MARK: - Requests

    /// A simple bind (RFC 4513 §5.1.3). The outcome, success or not, with its response
    /// controls (ppolicy's), is a value: only a failure to talk to the server throws.
    package func simpleBindRequest(dn: String, password: [UInt8], controls: [LDAPProtocol.LDAPControl]) throws -> ResultWithControls {
        try CLDAPMemory.withControls(controls) { serverControls in
            try CLDAPMemory.withBerval(password) { credential in
                try run("bind") { ld, msgid in ldap_sasl_bind(ld, dn, nil, &credential, serverControls, nil, &msgid) }
            }
        }
    }

    /// An add (§4.7); the result, success or not.
    package func addRequest(dn: String, attributes: [PartialAttribute], controls: [LDAPProtocol.LDAPControl]) throws -> ResultWithControls {
        let changes = attributes.map { ModifyRequest.Change(operation: .add, modification: $0) }
        return try CLDAPMemory.withControls(controls) { serverControls in
            try CLDAPMemory.withMods(changes) { mods in
                try run("add") { ld, msgid in ldap_add_ext(ld, dn, mods, serverControls, nil, &msgid) }
            }
        }
    }

    /// A modify (§4.6); the result, success or not.
    package func modifyRequest(dn: String, changes: [ModifyRequest.Change], controls: [LDAPProtocol.LDAPControl]) throws -> ResultWithControls {
        try CLDAPMemory.withControls(controls) { serverControls in
            try CLDAPMemory.withMods(changes) { mods in
                try run("modify") { ld, msgid in ldap_modify_ext(ld, dn, mods, serverControls, nil, &msgid) }
            }
        }
    }

    /// A delete (§4.8); the result, success or not.
    package func deleteRequest(dn: String, controls: [LDAPProtocol.LDAPControl]) throws -> ResultWithControls {
        try CLDAPMemory.withControls(controls) { serverControls in
            try run("delete") { ld, msgid in ldap_delete_ext(ld, dn, serverControls, nil, &msgid) }
        }
    }

    /// A modify DN (§4.9); the result, success or not.
    package func renameRequest(
        dn: String, newRDN: String, newSuperior: String?, deleteOldRDN: Bool, controls: [LDAPProtocol.LDAPControl]
    ) throws -> ResultWithControls {
        try CLDAPMemory.withControls(controls) { serverControls in
            try run("rename") { ld, msgid in
                ldap_rename(ld, dn, newRDN, newSuperior, deleteOldRDN ? 1 : 0, serverControls, nil, &msgid)
            }
        }
    }

    /// A compare (§4.10); the result (`compareTrue`, `compareFalse` or a failure).
    package func compareRequest(dn: String, attribute: String, value: [UInt8], controls: [LDAPProtocol.LDAPControl]) throws -> ResultWithControls {
        try CLDAPMemory.withControls(controls) { serverControls in
            try CLDAPMemory.withBerval(value) { assertion in
                try run("compare") { ld, msgid in ldap_compare_ext(ld, dn, attribute, &assertion, serverControls, nil, &msgid) }
            }
        }
    }

    /// An extended operation (§4.12): the result with its controls, and the response name and value.
    /// Only a failure to talk to the server throws; the result, success or not, is returned.
    package func extendedOperation(
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

    /// Sends a search request (§4.5.1) and returns its msgid; its messages are read by it.
    /// `timeLimitSeconds` 0 and `sizeLimit` 0: no limit asked.
    package func sendSearch(
        base: String, scope: SearchRequest.Scope, filter: String, attributes: [String], typesOnly: Bool = false,
        sizeLimit: Int, timeLimitSeconds: Int = 0, controls: [LDAPProtocol.LDAPControl]
    ) throws -> Int32 {
        let ld = try requireHandle()
        var msgid: Int32 = 0
        let rc = try CLDAPMemory.withControls(controls) { serverControls in
            CLDAPMemory.withCStringArray(attributes) { attributeArray in
                let scope = Int32(scope.rawValue)
                let sizeLimit = Int32(clamping: sizeLimit)
                if timeLimitSeconds > 0 {
                    var timeLimit = timeval(tv_sec: timeLimitSeconds, tv_usec: 0)
                    return ldap_search_ext(
                        ld, base, scope, filter, attributeArray, typesOnly ? 1 : 0, serverControls, nil, &timeLimit, sizeLimit, &msgid)
                }
                return ldap_search_ext(
                    ld, base, scope, filter, attributeArray, typesOnly ? 1 : 0, serverControls, nil, nil, sizeLimit, &msgid)
            }
        }
        guard rc == LDAP_SUCCESS else { throw libldapError(rc, "search") }
        return msgid
    }

    /// The entry of a search entry message (the message is not freed).
    package func readEntry(_ ld: OpaquePointer, _ message: OpaquePointer) throws -> SearchResultEntry {
        switch CLDAPMemory.readEntry(ld, message) {
        case .success(let entry): return entry
        case .failure(let code): throw libldapError(code.rawValue, "reading an entry")
        }
    }
}

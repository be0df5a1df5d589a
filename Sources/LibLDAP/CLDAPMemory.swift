package import CLDAP
import Glibc
package import LDAPProtocol

/// Conversions between Swift values and libldap's C structures, following the
/// pitfalls in docs/architecture.md: a `berval` is read by `bv_len`, never as a C
/// string, and whatever libldap allocates is freed with its own free function.
package enum CLDAPMemory {
    /// The bytes of a berval.
    package static func bytes(_ value: berval) -> [UInt8] {
        guard let base = value.bv_val, value.bv_len > 0 else { return [] }
        return base.withMemoryRebound(to: UInt8.self, capacity: Int(value.bv_len)) {
            Array(UnsafeBufferPointer(start: $0, count: Int(value.bv_len)))
        }
    }

    /// A string from a berval (UTF-8; invalid sequences repaired).
    package static func string(_ value: berval) -> String {
        String(decoding: bytes(value), as: UTF8.self)
    }

    /// Takes a libldap-allocated C string and frees it with `ldap_memfree`.
    package static func takeString(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
        guard let pointer else { return nil }
        defer { ldap_memfree(pointer) }
        return String(cString: pointer)
    }

    /// Calls `body` with a berval that points at `bytes` for the duration of the call.
    package static func withBerval<R>(_ bytes: [UInt8], _ body: (inout berval) throws -> R) rethrows -> R {
        var copy = bytes
        return try copy.withUnsafeMutableBufferPointer { buffer in
            var value = berval(
                bv_len: ber_len_t(buffer.count),
                bv_val: UnsafeMutableRawPointer(buffer.baseAddress)?.assumingMemoryBound(to: CChar.self)
            )
            return try body(&value)
        }
    }

    /// Builds a NULL-terminated `LDAPControl **` array for the duration of `body`.
    package static func withControls<R>(
        _ controls: [LDAPProtocol.LDAPControl],
        _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CLDAP.LDAPControl>?>?) throws -> R
    ) throws -> R {
        guard !controls.isEmpty else { return try body(nil) }
        let array = UnsafeMutablePointer<UnsafeMutablePointer<CLDAP.LDAPControl>?>.allocate(capacity: controls.count + 1)
        array.initialize(repeating: nil, count: controls.count + 1)
        defer {
            for index in 0..<controls.count where array[index] != nil { ldap_control_free(array[index]) }
            array.deallocate()
        }
        for (index, control) in controls.enumerated() {
            var created: UnsafeMutablePointer<CLDAP.LDAPControl>?
            let rc: Int32
            if let value = control.value {
                rc = withBerval(value) { ldap_control_create(control.oid, control.criticality ? 1 : 0, &$0, 1, &created) }
            } else {
                rc = ldap_control_create(control.oid, control.criticality ? 1 : 0, nil, 1, &created)
            }
            guard rc == LDAP_SUCCESS, let created else {
                throw LDAPOperationError(.other, "could not build control \(control.oid)")
            }
            array[index] = created
        }
        return try body(array)
    }

    /// Reads and frees a NULL-terminated control array returned by libldap.
    package static func takeControls(_ array: UnsafeMutablePointer<UnsafeMutablePointer<CLDAP.LDAPControl>?>?) -> [LDAPProtocol.LDAPControl] {
        guard let array else { return [] }
        defer { ldap_controls_free(array) }
        var result: [LDAPProtocol.LDAPControl] = []
        var index = 0
        while let control = array[index] {
            let oid = control.pointee.ldctl_oid.map { String(cString: $0) } ?? ""
            let value = control.pointee.ldctl_value.bv_val == nil ? nil : bytes(control.pointee.ldctl_value)
            result.append(LDAPProtocol.LDAPControl(oid: oid, criticality: control.pointee.ldctl_iscritical != 0, value: value))
            index += 1
        }
        return result
    }

    /// Reads and frees a NULL-terminated array of C strings (referral URIs).
    package static func takeStringArray(_ array: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> [String] {
        guard let array else { return [] }
        defer { ldap_memvfree(UnsafeMutablePointer(OpaquePointer(array))) }
        var result: [String] = []
        var index = 0
        while let value = array[index] {
            result.append(String(cString: value))
            index += 1
        }
        return result
    }

    /// Builds a NULL-terminated `char **` (attribute names) for the duration of `body`.
    package static func withCStringArray<R>(
        _ strings: [String], _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) throws -> R
    ) rethrows -> R {
        guard !strings.isEmpty else { return try body(nil) }
        let array = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: strings.count + 1)
        for (index, string) in strings.enumerated() { array[index] = strdup(string) }
        array[strings.count] = nil
        defer {
            for index in 0..<strings.count { free(array[index]) }
            array.deallocate()
        }
        return try body(array)
    }

    /// Builds a NULL-terminated `LDAPMod **` for the duration of `body`.
    package static func withMods<R>(
        _ changes: [ModifyRequest.Change], _ body: (UnsafeMutablePointer<UnsafeMutablePointer<LDAPMod>?>) throws -> R
    ) rethrows -> R {
        let mods = UnsafeMutablePointer<UnsafeMutablePointer<LDAPMod>?>.allocate(capacity: changes.count + 1)
        var cleanups: [() -> Void] = []
        defer {
            for cleanup in cleanups { cleanup() }
            mods.deallocate()
        }
        for (index, change) in changes.enumerated() {
            let mod = UnsafeMutablePointer<LDAPMod>.allocate(capacity: 1)
            let type = strdup(change.modification.type)
            let values = change.modification.values
            let valueArray = UnsafeMutablePointer<UnsafeMutablePointer<berval>?>.allocate(capacity: values.count + 1)
            let bervals = UnsafeMutablePointer<berval>.allocate(capacity: max(values.count, 1))
            var buffers: [UnsafeMutablePointer<CChar>] = []
            for (valueIndex, value) in values.enumerated() {
                let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: max(value.count, 1))
                value.withUnsafeBytes { raw in
                    if let source = raw.baseAddress { UnsafeMutableRawPointer(buffer).copyMemory(from: source, byteCount: value.count) }
                }
                buffers.append(buffer)
                bervals[valueIndex] = berval(bv_len: ber_len_t(value.count), bv_val: buffer)
                valueArray[valueIndex] = bervals + valueIndex
            }
            valueArray[values.count] = nil
            let op: Int32 = switch change.operation {
            case .add: LDAP_MOD_ADD
            case .delete: LDAP_MOD_DELETE
            case .replace: LDAP_MOD_REPLACE
            case .increment: LDAP_MOD_INCREMENT
            }
            mod.initialize(to: LDAPMod())
            mod.pointee.mod_op = op | LDAP_MOD_BVALUES
            mod.pointee.mod_type = type
            mod.pointee.mod_vals.modv_bvals = valueArray
            mods[index] = mod
            cleanups.append {
                for buffer in buffers { buffer.deallocate() }
                bervals.deallocate()
                valueArray.deallocate()
                free(type)
                mod.deallocate()
            }
        }
        mods[changes.count] = nil
        return try body(mods)
    }

    /// Waits for the message of `msgid`: the message, or libldap's code
    /// (`LDAP_TIMEOUT` when nothing came in time; the operation is then abandoned).
    package static func awaitMessage(_ ld: OpaquePointer, _ msgid: Int32, all: Bool, timeoutSeconds: Int) -> Result<OpaquePointer, LibLDAPCode> {
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        var message: OpaquePointer?
        let type = ldap_result(ld, msgid, all ? LDAP_MSG_ALL : LDAP_MSG_ONE, &timeout, &message)
        if type == 0 {
            ldap_abandon_ext(ld, msgid, nil, nil)
            return .failure(LibLDAPCode(LDAP_TIMEOUT))
        }
        guard type > 0, let message else {
            var rc: Int32 = LDAP_SERVER_DOWN
            ldap_get_option(ld, LDAP_OPT_RESULT_CODE, &rc)
            return .failure(LibLDAPCode(rc == LDAP_SUCCESS ? LDAP_SERVER_DOWN : rc))
        }
        return .success(message)
    }

    /// Parses and frees a result message: the LDAP result with its response controls, or libldap's code.
    package static func parseResult(_ ld: OpaquePointer, _ message: OpaquePointer) -> Result<ResultWithControls, LibLDAPCode> {
        var code: Int32 = 0
        var matched: UnsafeMutablePointer<CChar>?
        var diagnostic: UnsafeMutablePointer<CChar>?
        var referrals: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
        var controls: UnsafeMutablePointer<UnsafeMutablePointer<CLDAP.LDAPControl>?>?
        let rc = ldap_parse_result(ld, message, &code, &matched, &diagnostic, &referrals, &controls, 1)
        guard rc == LDAP_SUCCESS else { return .failure(LibLDAPCode(rc)) }
        return .success(ResultWithControls(
            result: LDAPResult(
                code: LDAPResultCode(Int(code)),
                matchedDN: takeString(matched) ?? "",
                diagnosticMessage: takeString(diagnostic) ?? "",
                referral: takeStringArray(referrals)
            ),
            controls: takeControls(controls)
        ))
    }

    /// Reads a search entry's DN and attributes (without copying the message
    /// twice: `ldap_get_dn_ber` / `ldap_get_attribute_ber`); the caller frees the message.
    package static func readEntry(_ ld: OpaquePointer, _ message: OpaquePointer) -> Result<SearchResultEntry, LibLDAPCode> {
        var ber: OpaquePointer?
        var dn = berval()
        let rc = ldap_get_dn_ber(ld, message, &ber, &dn)
        guard rc == LDAP_SUCCESS else { return .failure(LibLDAPCode(rc)) }
        defer { if let ber { ber_free(ber, 0) } }
        let name = string(dn)
        var attributes: [PartialAttribute] = []
        while true {
            var type = berval()
            var values: UnsafeMutablePointer<berval>?
            let attributeRC = ldap_get_attribute_ber(ld, message, ber, &type, &values)
            guard attributeRC == LDAP_SUCCESS else { return .failure(LibLDAPCode(attributeRC)) }
            guard type.bv_val != nil else { break }
            var collected: [[UInt8]] = []
            if let values {
                var index = 0
                while values[index].bv_val != nil {
                    collected.append(bytes(values[index]))
                    index += 1
                }
                ber_memfree(values)
            }
            attributes.append(PartialAttribute(type: string(type), values: collected))
        }
        return .success(SearchResultEntry(objectName: name, attributes: attributes))
    }
}

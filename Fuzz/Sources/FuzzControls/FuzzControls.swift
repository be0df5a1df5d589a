import CFuzzerDriver
import LDAPProtocol

/// (d) Control and extended-operation value decoders. The first byte picks
/// the decoder (low 2 bits) and whether the value is absent (bit 2); the rest
/// is the value: paged results, password modify, cancel, read-entry.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let selector = data[0]
    let value = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let optional: [UInt8]? = selector & 0x04 != 0 ? nil : value
    switch selector & 0x03 {
    case 0:
        if let paged = try? PagedResultsControl(LDAPControl(oid: PagedResultsControl.oid, value: optional)) {
            precondition((try? PagedResultsControl(paged.control())) == paged, "paged results round trip")
        }
    case 1:
        if let request = try? PasswordModifyRequest(value: optional) {
            precondition((try? PasswordModifyRequest(value: request.encoded())) == request, "password modify round trip")
        }
    case 2:
        if let cancel = try? CancelRequest(value: optional) {
            precondition((try? CancelRequest(value: cancel.encoded())) == cancel, "cancel round trip")
        }
    default:
        if let entry = try? ReadEntryControl.entry(from: value) {
            let encoded: [UInt8]
            do { encoded = try ReadEntryControl.encode(entry) } catch { fatalError("read-entry re-encode: \(error)") }
            precondition((try? ReadEntryControl.entry(from: encoded)) == entry, "read-entry round trip")
        }
    }
    return 0
}

/// The entry point SwiftPM's link line names (`--defsym main=FuzzControls_main`):
/// hands over to libFuzzer's driver from the sanitizer runtime.
@_cdecl("FuzzControls_main")
public func entryPoint(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        guard let data else { return 0 }
        return fuzz(data, size)
    }
}

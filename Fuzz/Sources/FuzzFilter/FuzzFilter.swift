import CFuzzerDriver
import LDAPProtocol
import SwiftASN1

/// (b) Search filter decoding (one BER Filter element) + RFC 4515 rendering,
/// plus the DER round trip of whatever decodes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let node = try? BER.parse(bytes), let filter = try? SearchFilter(node: node) else { return 0 }
    _ = try? filter.rfc4515String()
    var coder = DER.Serializer()
    do { try filter.serialize(into: &coder) } catch {
        fatalError("a decoded filter does not re-encode: \(error)\n\(filter)")
    }
    let again: SearchFilter
    do { again = try SearchFilter(node: try BER.parse(coder.serializedBytes)) } catch {
        fatalError("a re-encoded filter does not decode: \(error)\n\(filter)")
    }
    precondition(again == filter, "round trip changed the filter:\n\(filter)\n\(again)")
    return 0
}

/// The entry point SwiftPM's link line names (`--defsym main=FuzzFilter_main`):
/// hands over to libFuzzer's driver from the sanitizer runtime.
@_cdecl("FuzzFilter_main")
public func entryPoint(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        guard let data else { return 0 }
        return fuzz(data, size)
    }
}

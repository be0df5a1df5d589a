import CFuzzerDriver
import LDAPProtocol

/// (e) LDIF parsing (RFC 2849) of the bytes as UTF-8 text.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? LDIFParser.parse(text)
    return 0
}

/// The entry point SwiftPM's link line names (`--defsym main=FuzzLDIF_main`):
/// hands over to libFuzzer's driver from the sanitizer runtime.
@_cdecl("FuzzLDIF_main")
public func entryPoint(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        guard let data else { return 0 }
        return fuzz(data, size)
    }
}

import CFuzzerDriver
import LDAPProtocol

/// (c) DistinguishedName parsing of a string (the bytes as UTF-8, invalid
/// sequences repaired as String(decoding:) does), its normalised form (which
/// must parse back to the same DN) and the ancestry checks.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let string = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let dn = try? DistinguishedName(string) else { return 0 }
    // RFC 4514 §2.4: the string form escapes what it must, so it parses back to the same DN.
    let again = try? DistinguishedName(dn.description)
    precondition(again == dn, "the string form \(dn.description) does not parse back to the same DN")
    precondition(dn.isWithin(dn) && !dn.isBelow(dn), "a DN is not within itself")
    if let parent = try? DistinguishedName(dn.rdns.dropFirst().map { $0.map { "\($0.type)=x" }.joined(separator: "+") }.joined(separator: ",")) {
        _ = dn.isBelow(parent)
    }
    return 0
}

/// The entry point SwiftPM's link line names (`--defsym main=FuzzDN_main`):
/// hands over to libFuzzer's driver from the sanitizer runtime.
@_cdecl("FuzzDN_main")
public func entryPoint(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        guard let data else { return 0 }
        return fuzz(data, size)
    }
}

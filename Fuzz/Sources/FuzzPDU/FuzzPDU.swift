import CFuzzerDriver
import LDAPProtocol

/// (a) PDU framing + LDAPMessage decoding + re-encoding.
/// The input is a byte stream as a client would send it: PDUFramer cuts it
/// into PDUs, each is decoded, and every message that decodes is re-encoded
/// and decoded again, which must give an equal message (and the same bytes).
/// Modify, Add, ModifyDN and Compare requests are decoded only: the codec does
/// not encode them (the server never sends them; ProtocolOperation.serialize
/// throws "not implemented" by design).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var stream = Array(UnsafeBufferPointer(start: data, count: size))[...]
    while !stream.isEmpty {
        guard case .complete(let length)? = try? PDUFramer.frame(stream, maximumPDUSize: 1 << 20) else { break }
        let pdu = stream.prefix(length)
        stream = stream.dropFirst(length)
        guard let message = try? LDAPMessage(berEncoded: pdu) else { continue }
        switch message.operation {
        case .modifyRequest, .addRequest, .modifyDNRequest, .compareRequest: continue
        default: break
        }
        let encoded: [UInt8]
        do { encoded = try message.serializedBytes() } catch {
            fatalError("a decoded message does not re-encode: \(error)\n\(message)")
        }
        let again: LDAPMessage
        do { again = try LDAPMessage(berEncoded: encoded[...]) } catch {
            fatalError("a re-encoded message does not decode: \(error)\n\(message)")
        }
        precondition(again == message, "round trip changed the message:\n\(message)\n\(again)")
        precondition((try? again.serializedBytes()) == encoded, "re-encoding is not stable")
    }
    return 0
}

/// The entry point SwiftPM's link line names (`--defsym main=FuzzPDU_main`):
/// hands over to libFuzzer's driver from the sanitizer runtime.
@_cdecl("FuzzPDU_main")
public func entryPoint(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        guard let data else { return 0 }
        return fuzz(data, size)
    }
}

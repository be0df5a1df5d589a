import LDAPProtocol
import SwiftASN1

/// Decodes one complete PDU.
func decodeMessage(_ bytes: [UInt8]) throws -> LDAPMessage {
    try LDAPMessage(berEncoded: bytes[...])
}

/// Decodes one filter element on its own.
func decodeFilter(_ bytes: [UInt8]) throws -> SearchFilter {
    try SearchFilter(node: try BER.parse(bytes))
}

/// The DER encoding of one filter.
func encodeFilter(_ filter: SearchFilter) throws -> [UInt8] {
    var coder = DER.Serializer()
    try filter.serialize(into: &coder)
    return coder.serializedBytes
}

/// Lower-case hex, for readable failure messages.
func hex(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { byte in
        let digits = String(byte, radix: 16)
        return byte < 0x10 ? "0" + digits : digits
    }.joined(separator: " ")
}

extension String {
    /// The UTF-8 bytes, for assertion values and attribute values.
    var bytes: [UInt8] { Array(utf8) }
}

extension ProtocolOperation {
    var bindRequest: BindRequest? { if case .bindRequest(let value) = self { value } else { nil } }
    var searchRequest: SearchRequest? { if case .searchRequest(let value) = self { value } else { nil } }
    var extendedRequest: ExtendedRequest? { if case .extendedRequest(let value) = self { value } else { nil } }
    var modifyRequest: ModifyRequest? { if case .modifyRequest(let value) = self { value } else { nil } }
    var addRequest: AddRequest? { if case .addRequest(let value) = self { value } else { nil } }
    var modifyDNRequest: ModifyDNRequest? { if case .modifyDNRequest(let value) = self { value } else { nil } }
    var compareRequest: CompareRequest? { if case .compareRequest(let value) = self { value } else { nil } }
}

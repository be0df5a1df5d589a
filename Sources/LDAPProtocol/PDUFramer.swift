/// Finds where one LDAPMessage ends in a byte stream (RFC 4511 §5.1: BER,
/// definite lengths only), so that `BER.parse`, which rejects trailing bytes,
/// sees exactly one PDU. Pure, so the NIO decoder and the fuzzers share it.
public enum PDUFramer {
    public enum Outcome: Equatable, Sendable {
        /// A complete PDU of this many bytes is at the front.
        case complete(length: Int)
        /// Not enough bytes yet.
        case needMoreData
    }

    /// Looks at the front of `bytes`. Throws for a stream that can never
    /// become a valid PDU: a first tag other than SEQUENCE, the indefinite
    /// length form, or a PDU larger than `maximumPDUSize`.
    public static func frame<Bytes: Collection>(_ bytes: Bytes, maximumPDUSize: Int) throws -> Outcome
    where Bytes.Element == UInt8 {
        var index = bytes.startIndex
        guard index != bytes.endIndex else { return .needMoreData }
        guard bytes[index] == 0x30 else {
            throw LDAPDecodingError("a PDU must begin with a SEQUENCE tag (0x30), found 0x\(String(bytes[index], radix: 16))")
        }
        index = bytes.index(after: index)
        guard index != bytes.endIndex else { return .needMoreData }
        let first = bytes[index]
        index = bytes.index(after: index)
        var contentLength = 0
        var headerLength = 2
        if first < 0x80 {
            contentLength = Int(first)
        } else if first == 0x80 {
            throw LDAPDecodingError("the indefinite length form is not allowed in LDAP (RFC 4511 §5.1)")
        } else {
            let count = Int(first & 0x7F)
            guard count <= 4 else {
                throw LDAPDecodingError("PDU length field of \(count) octets exceeds the maximum PDU size of \(maximumPDUSize) bytes")
            }
            for _ in 0..<count {
                guard index != bytes.endIndex else { return .needMoreData }
                contentLength = contentLength << 8 | Int(bytes[index])
                index = bytes.index(after: index)
            }
            headerLength += count
        }
        let total = headerLength + contentLength
        guard total <= maximumPDUSize else {
            throw LDAPDecodingError("PDU of \(total) bytes exceeds the maximum PDU size of \(maximumPDUSize) bytes")
        }
        return bytes.count >= total ? .complete(length: total) : .needMoreData
    }

    /// Walks every element of a complete PDU and refuses the indefinite length
    /// form at any depth (RFC 4511 §5.1), which swift-asn1's BER parser accepts.
    /// Malformed lengths are left for the parser to report.
    public static func requireDefiniteLengths(_ bytes: ArraySlice<UInt8>) throws {
        var stack: [ArraySlice<UInt8>] = [bytes]
        while var slice = stack.popLast() {
            while let tag = slice.popFirst() {
                if tag & 0x1F == 0x1F {  // long-form tag number
                    while let byte = slice.popFirst(), byte & 0x80 != 0 {}
                }
                guard let first = slice.popFirst() else { return }
                var length = 0
                if first == 0x80 {
                    throw LDAPDecodingError("the indefinite length form is not allowed in LDAP (RFC 4511 §5.1)")
                } else if first < 0x80 {
                    length = Int(first)
                } else {
                    let count = Int(first & 0x7F)
                    guard count <= 4, slice.count >= count else { return }
                    for _ in 0..<count { length = length << 8 | Int(slice.removeFirst()) }
                }
                guard slice.count >= length else { return }
                let content = slice.prefix(length)
                slice = slice.dropFirst(length)
                if tag & 0x20 != 0 { stack.append(content) }
            }
        }
    }
}

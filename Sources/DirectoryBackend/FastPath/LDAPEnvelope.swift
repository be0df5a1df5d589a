public import NIOCore

/// The outer envelope of one LDAPMessage (RFC 4511 §4.2.1):
///
/// ```
/// LDAPMessage ::= SEQUENCE {
///      messageID       MessageID,          -- INTEGER (0 .. maxInt)
///      protocolOp      CHOICE { ... },
///      controls       [0] Controls OPTIONAL }
/// ```
///
/// read and rewritten without decoding the operation: the fast path forwards
/// slapd's answers as they came, with only the message ID changed to the
/// client's (the way OpenLDAP's load balancer, lloadd, forwards them).
public struct LDAPEnvelope: Sendable, Equatable {
    /// The message ID (0 for an unsolicited notification, RFC 4511 §4.4).
    public var messageID: Int32
    /// The first octet of `protocolOp`: its tag (0x64 SearchResultEntry, 0x65 SearchResultDone, 0x61 BindResponse…).
    public var operationTag: UInt8
    /// Where `protocolOp` begins, counted from the PDU's first octet.
    public var operationOffset: Int

    /// Reads the envelope of one whole PDU (as `PDUFramer` cut it); nil when it is not an
    /// LDAPMessage (no SEQUENCE, no INTEGER message ID of at most 4 octets, nothing after it).
    public init?(pdu: ByteBuffer) {
        let view = pdu.readableBytesView
        var index = view.startIndex
        guard view.count >= 5, view[index] == 0x30 else { return nil }
        index += 1
        let first = view[index]
        index += 1
        if first >= 0x80 {
            let count = Int(first & 0x7F)
            guard count >= 1, count <= 4 else { return nil }
            index += count
        }
        guard index + 2 <= view.endIndex, view[index] == 0x02 else { return nil }
        let length = Int(view[index + 1])
        index += 2
        // maxInt is 2^31 - 1: at most 4 content octets, non-negative.
        guard length >= 1, length <= 4, index + length < view.endIndex, view[index] & 0x80 == 0 else { return nil }
        var value: Int32 = 0
        for offset in 0..<length { value = value << 8 | Int32(view[index + offset]) }
        index += length
        messageID = value
        operationTag = view[index]
        operationOffset = index - view.startIndex
    }

    /// Whether the PDU's operation is, octet for octet, a bare success (RFC 4511 §4.1.9: result
    /// code 0, empty matched DN and diagnostic, no referral) ending the PDU (no controls): what
    /// slapd answers to most operations, read here without decoding the message.
    public func isBareSuccess(_ pdu: ByteBuffer) -> Bool {
        let view = pdu.readableBytesView
        let start = view.startIndex + operationOffset
        guard view.endIndex - start == 9 else { return false }
        return view[(start + 1)...].elementsEqual([0x07, 0x0A, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00])
    }

    /// Writes `pdu` (whose envelope is `self`) into `out` with `messageID` in place of its own.
    public func write(_ pdu: ByteBuffer, messageID: Int32, into out: inout ByteBuffer) {
        let bodyLength = pdu.readableBytes - operationOffset
        let idLength = Self.integerLength(messageID)
        let contentLength = 2 + idLength + bodyLength
        out.reserveCapacity(minimumWritableBytes: contentLength + 6)
        out.writeInteger(UInt8(0x30))
        Self.writeLength(contentLength, into: &out)
        out.writeInteger(UInt8(0x02))
        out.writeInteger(UInt8(idLength))
        for shift in stride(from: (idLength - 1) * 8, through: 0, by: -8) {
            out.writeInteger(UInt8(truncatingIfNeeded: messageID >> shift))
        }
        var body = pdu
        body.moveReaderIndex(forwardBy: operationOffset)
        out.writeBuffer(&body)
    }

    /// Octets of a non-negative INTEGER's content (a leading zero when the high bit is set).
    static func integerLength(_ value: Int32) -> Int {
        switch value {
        case ..<0x80: 1
        case ..<0x8000: 2
        case ..<0x80_0000: 3
        default: 4
        }
    }

    /// A definite length (RFC 4511 §5.1): short form below 128, else the long form.
    static func writeLength(_ length: Int, into out: inout ByteBuffer) {
        switch length {
        case ..<0x80:
            out.writeInteger(UInt8(length))
        case ..<0x100:
            out.writeInteger(UInt8(0x81))
            out.writeInteger(UInt8(length))
        case ..<0x1_0000:
            out.writeInteger(UInt8(0x82))
            out.writeInteger(UInt16(length))
        case ..<0x100_0000:
            out.writeInteger(UInt8(0x83))
            out.writeInteger(UInt8(truncatingIfNeeded: length >> 16))
            out.writeInteger(UInt16(truncatingIfNeeded: length))
        default:
            out.writeInteger(UInt8(0x84))
            out.writeInteger(UInt32(length))
        }
    }
}

public import LDAPProtocol
public import NIOCore

/// Cuts the byte stream into LDAPMessages (RFC 4511 §5.1) with a maximum PDU
/// size: `PDUFramer` finds one PDU's end, swift-asn1 parses it. A PDU that can
/// never be valid is an error: the session answers with a Notice of
/// Disconnection and closes (§4.1.1), never buffering without bound.
public struct LDAPMessageDecoder: ByteToMessageDecoder {
    public typealias InboundOut = LDAPMessage

    public let maximumPDUSize: Int
    /// Whether the front of the buffer holds the start of a PDU not yet whole
    /// (announced with `PartialRequestEvent` for `PartialRequestTimeout`).
    private var partial = false

    public init(maximumPDUSize: Int) {
        self.maximumPDUSize = maximumPDUSize
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let message = try decodeOne(&buffer) else {
            if !partial && buffer.readableBytes > 0 {
                partial = true
                context.fireUserInboundEventTriggered(PartialRequestEvent.started)
            }
            return .needMoreData
        }
        if partial {
            partial = false
            context.fireUserInboundEventTriggered(PartialRequestEvent.completed)
        }
        context.fireChannelRead(Self.wrapInboundOut(message))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while let message = try decodeOne(&buffer) {
            context.fireChannelRead(Self.wrapInboundOut(message))
        }
        return .needMoreData
    }

    /// One message from the front of `buffer`, or nil if it is not all there yet.
    func decodeOne(_ buffer: inout ByteBuffer) throws -> LDAPMessage? {
        let view = buffer.readableBytesView
        switch try PDUFramer.frame(view, maximumPDUSize: maximumPDUSize) {
        case .needMoreData:
            return nil
        case .complete(let length):
            guard let bytes = buffer.readBytes(length: length) else { return nil }
            let message = try LDAPMessage(berEncoded: bytes[...])
            guard message.messageID != 0 else {
                throw LDAPDecodingError("messageID 0 is reserved for unsolicited notifications (RFC 4511 §4.1.1.1)")
            }
            return message
        }
    }
}

/// Writes LDAPMessages (RFC 4511 §5.1; DER is valid BER).
public struct LDAPMessageEncoder: MessageToByteEncoder {
    public typealias OutboundIn = LDAPMessage

    public init() {}

    public func encode(data: LDAPMessage, out: inout ByteBuffer) throws {
        out.writeBytes(try data.serializedBytes())
    }
}

import CLDAP
import Glibc
import LDAPProtocol
import NIOCore

/// One connection to slapd that libldap opened and authenticated (`LDAPConnection`: SASL
/// EXTERNAL over ldapi, with the clients' authorization identity where the backend grants one),
/// whose socket is then read and written by SwiftNIO on one event loop: requests from many
/// client sessions go out on it under message IDs of its own (RFC 4511 §4.1.1.1), and each
/// answer goes to its request by that ID. Confined to its event loop.
///
/// The libldap handle stays open, untouched, while the link lives (closing it would send slapd
/// an Unbind); the event loop owns a duplicate of its descriptor.
final class UpstreamLink: @unchecked Sendable {
    let eventLoop: any EventLoop
    private let connection: LDAPConnection
    private var channel: (any Channel)?
    private var pending: [Int32: UpstreamRequest] = [:]
    /// The next message ID to try: 1 … maxInt (2^31 - 1), then 1 again, skipping IDs in use.
    private var nextID: Int32
    /// Operations whose answers arrived in the current read batch.
    private var touched: [ObjectIdentifier: any UpstreamOperation] = [:]
    private(set) var isOpen = true
    /// Whether a flush of the requests written in this round is already scheduled.
    private var flushPending = false
    /// Called once when the link ends, after its requests were failed.
    var onClose: ((UpstreamLink) -> Void)?
    /// Called when a request ended (room on the link).
    var onRoom: ((UpstreamLink) -> Void)?

    /// Requests sent and not answered yet.
    var inFlight: Int { pending.count }
    /// Whether a bind is in progress (a bind holds its connection: nothing else goes on the link meanwhile).
    private(set) var bindInProgress = false

    init(eventLoop: any EventLoop, connection: LDAPConnection, firstMessageID: Int32 = 2) {
        self.eventLoop = eventLoop
        self.connection = connection
        nextID = max(1, firstMessageID)
    }

    /// The libldap connection's socket, duplicated for SwiftNIO.
    static func duplicatedDescriptor(of connection: LDAPConnection) throws -> CInt {
        let ld = try connection.requireHandle()
        var descriptor: CInt = -1
        guard ldap_get_option(ld, LDAP_OPT_DESC, &descriptor) == LDAP_OPT_SUCCESS, descriptor >= 0 else {
            throw LDAPOperationError(.unavailable, "the directory store connection has no socket")
        }
        let copy = dup(descriptor)
        guard copy >= 0 else {
            throw LDAPOperationError(.unavailable, "cannot duplicate the directory store socket (errno \(errno))")
        }
        return copy
    }

    func attach(_ channel: any Channel) {
        eventLoop.assertInEventLoop()
        self.channel = channel
    }

    /// A message ID not in use on this link.
    private func allocateID() -> Int32 {
        while true {
            let id = nextID
            nextID = nextID == Int32.max ? 1 : nextID + 1
            if pending[id] == nil { return id }
        }
    }

    /// Sends a request; it fails at once (unavailable) if the link is closed or the request cannot be encoded.
    func send(_ request: UpstreamRequest) {
        eventLoop.assertInEventLoop()
        guard isOpen, let channel else {
            request.state = .over
            request.operation.failed(LDAPOperationError(.unavailable, "the directory store connection is closed; try again"))
            return
        }
        let id = allocateID()
        let pdu: ByteBuffer
        do {
            pdu = try request.encode(id)
        } catch {
            request.state = .over
            request.operation.failed(LDAPOperationError(.other, "the request could not be encoded for the directory store: \(error)"))
            return
        }
        pending[id] = request
        request.state = .sent(self, id)
        if request.isBind {
            // A bind goes alone on its link: nothing to gather with it.
            bindInProgress = true
            channel.writeAndFlush(pdu, promise: nil)
            return
        }
        channel.write(pdu, promise: nil)
        flushSoon(channel)
    }

    /// Flushes once the event loop has read what its clients sent in this round: the requests of
    /// several clients go to slapd in one write, and slapd reads them in one go.
    private func flushSoon(_ channel: any Channel) {
        guard !flushPending else { return }
        flushPending = true
        eventLoop.execute {
            self.flushPending = false
            channel.flush()
        }
    }

    /// Gives a request up: slapd is told (Abandon, RFC 4511 §4.11) and what still comes for it is dropped.
    func abandon(_ id: Int32) {
        eventLoop.assertInEventLoop()
        guard let request = pending.removeValue(forKey: id) else { return }
        request.state = .over
        if request.isBind { bindInProgress = false }
        if isOpen, let channel, let abandon = try? LDAPMessage(messageID: Int(allocateID()), operation: .abandonRequest(Int(id))).serializedBytes() {
            channel.writeAndFlush(channel.allocator.buffer(bytes: abandon), promise: nil)
        }
        onRoom?(self)
    }

    /// One PDU from slapd.
    func received(_ pdu: ByteBuffer) {
        eventLoop.assertInEventLoop()
        guard let envelope = LDAPEnvelope(pdu: pdu) else {
            fail("the directory store sent a malformed message")
            return
        }
        if envelope.messageID == 0 {
            // An unsolicited notification (RFC 4511 §4.4.1): slapd is closing the connection.
            fail("the directory store closed the connection")
            return
        }
        // An answer to a request already given up (abandoned, canceled) is dropped.
        guard let request = pending[envelope.messageID] else { return }
        let operation = request.operation
        touched[ObjectIdentifier(operation)] = operation
        switch operation.received(pdu, envelope: envelope) {
        case .more:
            break
        case .finished:
            pending.removeValue(forKey: envelope.messageID)
            request.state = .over
            if request.isBind { bindInProgress = false }
            onRoom?(self)
        case .abandon:
            abandon(envelope.messageID)
        }
    }

    /// The requests in progress whose deadline has passed (the loop's sweep gives them up).
    func expired(at now: NIODeadline) -> [UpstreamRequest] {
        pending.values.filter { request in request.deadline.map { $0 <= now } ?? false }
    }

    /// The read batch is over: the operations that got answers may flush them.
    func readComplete() {
        guard !touched.isEmpty else { return }
        let operations = touched.values
        touched.removeAll(keepingCapacity: true)
        for operation in operations { operation.batchEnded() }
    }

    /// The link ended: every request in progress fails with `unavailable` (52).
    func fail(_ reason: String) {
        eventLoop.assertInEventLoop()
        guard isOpen else { return }
        isOpen = false
        let requests = pending.values
        pending.removeAll()
        bindInProgress = false
        let error = LDAPOperationError(.unavailable, "\(reason) before answering; try again")
        for request in requests {
            request.state = .over
            request.operation.failed(error)
        }
        channel?.close(promise: nil)
        onClose?(self)
        onClose = nil
        onRoom = nil
        // The handle's own descriptor: closing it sends slapd an Unbind if it still listens.
        let connection = self.connection
        connection.close()
    }

    /// Ends the link (server shutdown).
    func close() {
        fail("the server is shutting down")
    }
}

/// Cuts slapd's byte stream into PDUs (`PDUFramer`) for the link.
final class UpstreamLinkHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer

    private let link: UpstreamLink
    private var buffer: ByteBuffer?
    /// The largest answer accepted from slapd (an entry with large values).
    static let maximumPDUSize = 256 * 1024 * 1024

    init(link: UpstreamLink) { self.link = link }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if buffer == nil || buffer?.readableBytes == 0 {
            buffer = incoming
        } else {
            buffer?.writeBuffer(&incoming)
        }
        guard var bytes = buffer else { return }
        buffer = nil
        defer { buffer = bytes.readableBytes == 0 ? nil : bytes }
        while bytes.readableBytes > 0 {
            do {
                switch try PDUFramer.frame(bytes.readableBytesView, maximumPDUSize: Self.maximumPDUSize) {
                case .needMoreData:
                    if bytes.readerIndex > 0 { bytes.discardReadBytes() }
                    return
                case .complete(let length):
                    guard let pdu = bytes.readSlice(length: length) else { return }
                    link.received(pdu)
                    if !link.isOpen { bytes.clear(); return }
                }
            } catch {
                link.fail("the directory store sent a malformed message (\(error))")
                bytes.clear()
                return
            }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        link.readComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        link.fail("the directory store closed the connection")
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        link.fail("the directory store connection failed (\(error))")
        context.close(promise: nil)
    }
}

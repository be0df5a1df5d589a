import LDAPProtocol
public import NIOCore

/// One request on its way to slapd through an upstream link: waiting for room on a link, sent
/// (under the link's own message ID), or over. Confined to the event loop of its `UpstreamLoopLinks`.
public final class UpstreamRequest: @unchecked Sendable {
    /// Encodes the request as one PDU under the given message ID.
    let encode: (Int32) throws -> ByteBuffer
    let operation: any UpstreamOperation
    /// Whether the request is a bind (RFC 4511 §4.2.1: a bind holds its connection, one at a time).
    let isBind: Bool
    /// When the request is given up if slapd has not answered it (`busy`, 51); nil: never.
    /// Checked by its loop's once-a-second sweep, not by a timer of its own (issue #18).
    let deadline: NIODeadline?

    enum State {
        case waiting
        case sent(UpstreamLink, Int32)
        case over
    }
    var state = State.waiting {
        didSet {
            if case .over = state, let gate = enteredGate {
                enteredGate = nil
                gate.leave()
            }
        }
    }
    /// Whether the request waits while a transaction barrier is in flight (`SearchBarrierGate`):
    /// a search of more than one entry.
    let waitsForBarrier: Bool
    /// The gate it entered, left when it is over.
    var enteredGate: SearchBarrierGate?

    public init(
        operation: any UpstreamOperation, isBind: Bool = false, waitsForBarrier: Bool = false, deadline: NIODeadline? = nil,
        encode: @escaping (Int32) throws -> ByteBuffer
    ) {
        self.operation = operation
        self.isBind = isBind
        self.waitsForBarrier = waitsForBarrier && !isBind
        self.deadline = deadline
        self.encode = encode
    }

    /// Whether the request was answered, failed or abandoned.
    public var isOver: Bool { if case .over = state { true } else { false } }
}

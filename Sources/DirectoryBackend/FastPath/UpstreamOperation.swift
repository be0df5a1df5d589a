public import LDAPProtocol
public import NIOCore

/// What one request forwarded to slapd does with slapd's answers (RFC 4511 §4.1.1.1: they carry
/// the request's message ID). Every call comes on the event loop of the link the request went on.
public protocol UpstreamOperation: AnyObject {
    /// One answer PDU for the request, its envelope read; says whether more are expected.
    func received(_ pdu: ByteBuffer, envelope: LDAPEnvelope) -> UpstreamDisposition
    /// The link ended (slapd stopped or restarted, or the server is shutting down) before the
    /// request's last answer: `error` says so (`unavailable`, 52).
    func failed(_ error: LDAPOperationError)
    /// The answers read in one go from the link have all been handed over (the moment to flush).
    func batchEnded()
}

/// After one answer: whether the request goes on.
public enum UpstreamDisposition: Sendable {
    /// More answers are expected.
    case more
    /// That was the last answer (the result).
    case finished
    /// The request is given up: the link sends slapd an Abandon (RFC 4511 §4.11) and drops what still comes.
    case abandon
}

import DirectoryBackend
import LDAPProtocol
import NIOCore

/// One client search forwarded on an upstream link (issue #18): slapd's entries, references and
/// result go to the client as slapd encoded them, with only the message ID rewritten to the
/// client's (RFC 4511 §4.1.1.1). An entry carrying an attribute that must be hidden (R8) is
/// decoded, redacted and re-encoded. Runs on the client connection's event loop, which is
/// the link's; the session's task is resumed once the result is written.
final class ForwardedSearch: UpstreamOperation, @unchecked Sendable {
    private let clientID: Int32
    private let writer: ClientRawWriter
    private let isHidden: @Sendable (String) -> Bool
    private let redact: @Sendable (inout SearchResultEntry) -> Void
    private let typesOnly: Bool
    /// Whether slapd's SearchResultDone goes to the client as it came; false (a page of a paged
    /// search, RFC 2696): it is decoded, its controls kept in `resultControls`, and the session answers.
    private let forwardsResult: Bool
    /// The SearchResultDone's controls, when it is not forwarded (read once the search ended).
    private(set) var resultControls: [LDAPControl] = []
    private let completion = ForwardedCompletion<LDAPResult>()
    var isFinished: Bool { completion.isFinished }

    init(
        clientID: Int, writer: ClientRawWriter, typesOnly: Bool, forwardsResult: Bool = true, isHidden: @escaping @Sendable (String) -> Bool,
        redact: @escaping @Sendable (inout SearchResultEntry) -> Void
    ) {
        self.forwardsResult = forwardsResult
        self.clientID = Int32(clamping: clientID)
        self.writer = writer
        self.typesOnly = typesOnly
        self.isHidden = isHidden
        self.redact = redact
    }

    /// Takes the session task's continuation (on the loop); false if the search was already canceled.
    func start(_ continuation: CheckedContinuation<LDAPResult, any Error>) -> Bool {
        completion.start(continuation)
    }

    /// Takes the callback of a search answered on the event loop (`InlineRequestHandler`).
    func start(_ callback: @escaping (Result<LDAPResult, any Error>) -> Void) -> Bool {
        completion.start(callback)
    }

    /// The session's task was canceled (Abandon, Cancel, connection closed): nothing more is written.
    func cancel() {
        finish(.failure(CancellationError()))
    }

    private func finish(_ outcome: Result<LDAPResult, any Error>) {
        completion.finish(outcome)
    }

    func received(_ pdu: ByteBuffer, envelope: LDAPEnvelope) -> UpstreamDisposition {
        guard !isFinished else { return .abandon }
        guard let allocator = writer.allocator else {
            finish(.failure(CancellationError()))
            return .abandon
        }
        switch envelope.operationTag {
        case 0x64:  // SearchResultEntry
            let mustRedact = RawEntryReading.anyAttributeType(in: pdu, envelope: envelope, isHidden) ?? true
            if mustRedact {
                do {
                    writer.write(try redacted(pdu, allocator: allocator))
                } catch {
                    finish(.failure(LDAPOperationError(.other, "the directory store sent an entry that could not be read: \(error)")))
                    return .abandon
                }
            } else {
                writer.write(pdu, envelope: envelope, messageID: clientID)
            }
            if writer.isOverBacklog {
                finish(.failure(LDAPOperationError(
                    .adminLimitExceeded,
                    "the client left more than \(ClientRawWriter.maximumBacklog / (1024 * 1024)) MiB of answers unread; read them, or page the search (RFC 2696)")))
                return .abandon
            }
            return .more
        case 0x73, 0x79:  // SearchResultReference, IntermediateResponse
            writer.write(pdu, envelope: envelope, messageID: clientID)
            return .more
        case 0x65:  // SearchResultDone
            let result: LDAPResult
            if forwardsResult, envelope.isBareSuccess(pdu) {
                result = .success
            } else {
                do {
                    let message = try LDAPMessage(berEncoded: Array(pdu.readableBytesView)[...])
                    guard case .searchResultDone(let done) = message.operation else {
                        throw LDAPDecodingError("not a SearchResultDone")
                    }
                    result = done
                    resultControls = message.controls
                } catch {
                    finish(.failure(LDAPOperationError(.other, "the directory store sent a result that could not be read: \(error)")))
                    return .finished
                }
            }
            if forwardsResult {
                writer.write(pdu, envelope: envelope, messageID: clientID)
            }
            writer.flush()
            finish(.success(result))
            return .finished
        default:
            finish(.failure(LDAPOperationError(
                .other, "the directory store answered a search with an unexpected message (tag 0x\(String(envelope.operationTag, radix: 16)))")))
            return .abandon
        }
    }

    func failed(_ error: LDAPOperationError) {
        writer.flush()
        finish(.failure(error))
    }

    func batchEnded() {
        writer.flush()
    }

    /// The entry decoded, its hidden attributes removed (R8), encoded under the client's message ID.
    private func redacted(_ pdu: ByteBuffer, allocator: ByteBufferAllocator) throws -> ByteBuffer {
        let message = try LDAPMessage(berEncoded: Array(pdu.readableBytesView)[...])
        guard case .searchResultEntry(var entry) = message.operation else { throw LDAPDecodingError("not a SearchResultEntry") }
        redact(&entry)
        entry.typesOnly = typesOnly
        let bytes = try LDAPMessage(messageID: Int(clientID), operation: .searchResultEntry(entry), controls: message.controls).serializedBytes()
        return allocator.buffer(bytes: bytes)
    }
}

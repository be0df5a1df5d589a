import DirectoryBackend
import LDAPProtocol
import NIOCore

/// One simple bind (RFC 4511 §4.2) checked by slapd on a bind link of the client's event loop
/// (issue #18): its BindResponse and response controls (the password policy's) are decoded and
/// handed to `BindHandler`, which decides what the client is told (R6, binds that tell nothing).
final class ForwardedBind: UpstreamOperation, @unchecked Sendable {
    private let completion = ForwardedCompletion<BindOutcome>()

    /// Takes the session task's continuation (on the loop); false if the bind was already canceled.
    func start(_ continuation: CheckedContinuation<BindOutcome, any Error>) -> Bool {
        completion.start(continuation)
    }

    /// Takes the callback of a bind answered on the event loop (`InlineRequestHandler`).
    func start(_ callback: @escaping (Result<BindOutcome, any Error>) -> Void) -> Bool {
        completion.start(callback)
    }

    func cancel() {
        finish(.failure(CancellationError()))
    }

    private func finish(_ outcome: Result<BindOutcome, any Error>) {
        completion.finish(outcome)
    }

    func received(_ pdu: ByteBuffer, envelope: LDAPEnvelope) -> UpstreamDisposition {
        if envelope.operationTag == 0x61, envelope.isBareSuccess(pdu) {
            // A success with no control (no password policy news): nothing to decode.
            finish(.success(BindOutcome(result: .success, controls: [])))
            return .finished
        }
        do {
            let message = try LDAPMessage(berEncoded: Array(pdu.readableBytesView)[...])
            guard case .bindResponse(let response) = message.operation else {
                throw LDAPDecodingError("a bind was answered with \(message.operation.name)")
            }
            finish(.success(BindOutcome(result: response.result, controls: message.controls)))
        } catch {
            finish(.failure(LDAPOperationError(.other, "the directory store's bind answer could not be read: \(error)")))
        }
        return .finished
    }

    func failed(_ error: LDAPOperationError) { finish(.failure(error)) }

    func batchEnded() {}
}

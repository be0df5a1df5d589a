/// The result of an update or compare (RFC 4511 §4.6–§4.10) with its response controls (pre/post-read, say).
public struct OperationOutcome: Sendable {
    public var result: LDAPResult
    public var controls: [LDAPControl]

    public init(result: LDAPResult, controls: [LDAPControl]) {
        self.result = result
        self.controls = controls
    }
}

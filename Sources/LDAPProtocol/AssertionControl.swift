import SwiftASN1

/// The Assertion control (RFC 4528 §3): the operation is done only if the
/// filter holds on its target entry, else it fails with `assertionFailed`
/// (122). Its value is the BER encoding of a `Filter` (RFC 4511 §4.5.1).
public struct AssertionControl: Hashable, Sendable {
    /// RFC 4528 §3.
    public static let oid = "1.3.6.1.1.12"

    public var filter: SearchFilter

    public init(_ filter: SearchFilter) {
        self.filter = filter
    }

    /// Decodes a request's assertion control.
    public init(_ control: LDAPControl) throws {
        guard control.oid == Self.oid, let value = control.value else {
            throw LDAPOperationError(.protocolError, "an assertion control (RFC 4528 §3) must carry a filter as its value")
        }
        do {
            filter = try SearchFilter(node: try BER.parse(value))
        } catch {
            throw LDAPOperationError(.protocolError, "malformed assertion control value (RFC 4528 §3): \(error)")
        }
    }

    /// The control, critical (an assertion that is not understood must not be ignored).
    public func control() throws -> LDAPControl {
        var coder = DER.Serializer()
        try filter.serialize(into: &coder)
        return LDAPControl(oid: Self.oid, criticality: true, value: coder.serializedBytes)
    }
}

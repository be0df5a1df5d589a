import SwiftASN1

/// The Cancel extended operation (RFC 3909 §2).
///
/// ```
/// cancelRequestOID ::= 1.3.6.1.1.8
/// cancelRequestValue ::= SEQUENCE { cancelID MessageID }
/// ```
public struct CancelRequest: Hashable, Sendable {
    public static let oid = "1.3.6.1.1.8"
    public var cancelID: Int

    public init(cancelID: Int) { self.cancelID = cancelID }

    public init(value: [UInt8]?) throws {
        do {
            guard let value else { throw LDAPDecodingError("missing") }
            var children = try BER.parse(value).children(.sequence, field: "cancelRequestValue").makeIterator()
            cancelID = try children.required("cancelID").integer(field: "cancelID")
            guard children.next() == nil else { throw LDAPDecodingError("trailing element") }
        } catch {
            throw LDAPOperationError(.protocolError, "malformed Cancel request value: expected SEQUENCE { cancelID MessageID } (RFC 3909 §2)")
        }
    }

    public func encoded() -> [UInt8] {
        var coder = DER.Serializer()
        coder.appendConstructedNode(identifier: .sequence) { coder in try? coder.appendInteger(cancelID) }
        return coder.serializedBytes
    }
}

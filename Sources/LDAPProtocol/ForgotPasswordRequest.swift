import SwiftASN1

/// The value of Annuaire's forgot-password request (R6).
///
/// ```
/// ForgotPasswordRequestValue ::= SEQUENCE { identifier LDAPString }
/// ```
public struct ForgotPasswordRequest: Hashable, Sendable {
    public var identifier: String

    public init(identifier: String) { self.identifier = identifier }

    public init(value: [UInt8]) throws {
        var children = try BER.parse(value).children(.sequence, field: "ForgotPasswordRequestValue").makeIterator()
        identifier = try children.required("identifier").utf8String(field: "identifier")
        guard children.next() == nil else { throw LDAPDecodingError("trailing element") }
    }

    public func encoded() -> [UInt8] {
        var coder = DER.Serializer()
        coder.appendConstructedNode(identifier: .sequence) { $0.appendString(identifier) }
        return coder.serializedBytes
    }
}

public import SwiftASN1

/// An attribute with its values (RFC 4511 §4.1.7).
///
/// ```
/// PartialAttribute ::= SEQUENCE {
///      type       AttributeDescription,
///      vals       SET OF value AttributeValue }
/// Attribute ::= PartialAttribute(WITH COMPONENTS { ..., vals (SIZE(1..MAX))})
/// ```
/// Values keep their order: the SET is written with `appendConstructedNode`,
/// not the sorting `serializeSetOf`.
public struct PartialAttribute: Hashable, Sendable {
    public var type: String
    public var values: [[UInt8]]

    public init(type: String, values: [[UInt8]]) {
        self.type = type
        self.values = values
    }

    public init(type: String, strings: [String]) {
        self.init(type: type, values: strings.map { Array($0.utf8) })
    }

    public init(node: ASN1Node) throws {
        var children = try node.children(.sequence, field: "PartialAttribute").makeIterator()
        type = try children.required("type").utf8String(field: "attribute type")
        values = try children.required("vals").children(.set, field: "vals").map {
            Array(try $0.primitiveBytes(.octetString, field: "attribute value"))
        }
        guard children.next() == nil else { throw LDAPDecodingError("PartialAttribute: trailing element") }
    }

    public func serialize(into coder: inout DER.Serializer, typesOnly: Bool = false) {
        coder.appendConstructedNode(identifier: .sequence) { coder in
            coder.appendString(type)
            coder.appendConstructedNode(identifier: .set) { coder in
                if !typesOnly {
                    for value in values { coder.appendOctets(value) }
                }
            }
        }
    }

    /// The values as UTF-8 strings (invalid sequences repaired), for display and tests.
    public var stringValues: [String] { values.map { String(decoding: $0, as: UTF8.self) } }
}

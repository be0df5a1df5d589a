public import SwiftASN1

/// One entry returned by a search (RFC 4511 §4.5.2).
///
/// ```
/// SearchResultEntry ::= [APPLICATION 4] SEQUENCE {
///      objectName      LDAPDN,
///      attributes      PartialAttributeList }
/// PartialAttributeList ::= SEQUENCE OF partialAttribute PartialAttribute
/// ```
public struct SearchResultEntry: Hashable, Sendable {
    public static let tag = ASN1Identifier.application(4)
    public var objectName: String
    public var attributes: [PartialAttribute]
    /// When set, values are left out (the request's typesOnly).
    public var typesOnly: Bool

    public init(objectName: String, attributes: [PartialAttribute], typesOnly: Bool = false) {
        self.objectName = objectName
        self.attributes = attributes
        self.typesOnly = typesOnly
    }

    public init(node: ASN1Node) throws {
        var children = try node.children(Self.tag, field: "SearchResultEntry").makeIterator()
        objectName = try children.required("objectName").utf8String(field: "objectName")
        attributes = try children.required("attributes").children(.sequence, field: "attributes").map {
            try PartialAttribute(node: $0)
        }
        typesOnly = false
    }

    public func serialize(into coder: inout DER.Serializer) {
        coder.appendConstructedNode(identifier: Self.tag) { coder in
            coder.appendString(objectName)
            coder.appendConstructedNode(identifier: .sequence) { coder in
                for attribute in attributes { attribute.serialize(into: &coder, typesOnly: typesOnly) }
            }
        }
    }

    /// The values of the first attribute whose type matches `type` case-insensitively.
    public func values(of type: String) -> [[UInt8]] {
        attributes.first { $0.type.caseInsensitiveCompare(type) }?.values ?? []
    }
}

extension String {
    /// ASCII case-insensitive equality, as attribute type names compare (RFC 4512 §2.5).
    func caseInsensitiveCompare(_ other: String) -> Bool {
        self.utf8.count == other.utf8.count
            && zip(self.utf8, other.utf8).allSatisfy { a, b in
                a == b || (a | 0x20 == b | 0x20 && (a | 0x20) >= 0x61 && (a | 0x20) <= 0x7A)
            }
    }
}

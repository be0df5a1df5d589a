public import SwiftASN1

/// A Modify request (RFC 4511 §4.6).
///
/// ```
/// ModifyRequest ::= [APPLICATION 6] SEQUENCE {
///      object          LDAPDN,
///      changes         SEQUENCE OF change SEQUENCE {
///           operation       ENUMERATED { add (0), delete (1), replace (2), ...  },
///           modification    PartialAttribute } }
/// ```
/// `increment` (3) is RFC 4525's.
public struct ModifyRequest: Hashable, Sendable {
    public struct Change: Hashable, Sendable {
        public enum Operation: Int, Hashable, Sendable { case add = 0, delete = 1, replace = 2, increment = 3 }
        public var operation: Operation
        public var modification: PartialAttribute
        public init(operation: Operation, modification: PartialAttribute) {
            self.operation = operation
            self.modification = modification
        }
    }

    public static let tag = ASN1Identifier.application(6)
    public var object: String
    public var changes: [Change]

    public init(object: String, changes: [Change]) {
        self.object = object
        self.changes = changes
    }

    public init(node: ASN1Node) throws {
        var children = try node.children(Self.tag, field: "ModifyRequest").makeIterator()
        object = try children.required("object").utf8String(field: "object")
        changes = try children.required("changes").children(.sequence, field: "changes").map { change in
            var parts = try change.children(.sequence, field: "change").makeIterator()
            let raw = try parts.required("operation").integer(.enumerated, field: "operation")
            guard let operation = Change.Operation(rawValue: raw) else {
                throw LDAPDecodingError("operation: unknown value \(raw)")
            }
            return Change(operation: operation, modification: try PartialAttribute(node: try parts.required("modification")))
        }
    }
}

/// An Add request (RFC 4511 §4.7).
///
/// ```
/// AddRequest ::= [APPLICATION 8] SEQUENCE {
///      entry           LDAPDN,
///      attributes      AttributeList }
/// AttributeList ::= SEQUENCE OF attribute Attribute
/// ```
public struct AddRequest: Hashable, Sendable {
    public static let tag = ASN1Identifier.application(8)
    public var entry: String
    public var attributes: [PartialAttribute]

    public init(entry: String, attributes: [PartialAttribute]) {
        self.entry = entry
        self.attributes = attributes
    }

    public init(node: ASN1Node) throws {
        var children = try node.children(Self.tag, field: "AddRequest").makeIterator()
        entry = try children.required("entry").utf8String(field: "entry")
        attributes = try children.required("attributes").children(.sequence, field: "attributes").map {
            try PartialAttribute(node: $0)
        }
    }
}

/// A Modify DN request (RFC 4511 §4.9).
///
/// ```
/// ModifyDNRequest ::= [APPLICATION 12] SEQUENCE {
///      entry           LDAPDN,
///      newrdn          RelativeLDAPDN,
///      deleteoldrdn    BOOLEAN,
///      newSuperior     [0] LDAPDN OPTIONAL }
/// ```
public struct ModifyDNRequest: Hashable, Sendable {
    public static let tag = ASN1Identifier.application(12)
    public var entry: String
    public var newRDN: String
    public var deleteOldRDN: Bool
    public var newSuperior: String?

    public init(node: ASN1Node) throws {
        var children = try node.children(Self.tag, field: "ModifyDNRequest").makeIterator()
        entry = try children.required("entry").utf8String(field: "entry")
        newRDN = try children.required("newrdn").utf8String(field: "newrdn")
        deleteOldRDN = try children.required("deleteoldrdn").boolean(field: "deleteoldrdn")
        newSuperior = try children.next().map { try $0.utf8String(.context(0), field: "newSuperior") }
    }
}

/// A Compare request (RFC 4511 §4.10).
///
/// ```
/// CompareRequest ::= [APPLICATION 14] SEQUENCE {
///      entry           LDAPDN,
///      ava             AttributeValueAssertion }
/// ```
public struct CompareRequest: Hashable, Sendable {
    public static let tag = ASN1Identifier.application(14)
    public var entry: String
    public var attribute: String
    public var value: [UInt8]

    public init(node: ASN1Node) throws {
        var children = try node.children(Self.tag, field: "CompareRequest").makeIterator()
        entry = try children.required("entry").utf8String(field: "entry")
        var ava = try children.required("ava").children(.sequence, field: "ava").makeIterator()
        attribute = try ava.required("attributeDesc").utf8String(field: "attributeDesc")
        value = Array(try ava.required("assertionValue").primitiveBytes(.octetString, field: "assertionValue"))
    }
}

import SwiftASN1

/// A request or response control (RFC 4511 §4.1.11).
///
/// ```
/// Controls ::= SEQUENCE OF control Control
/// Control ::= SEQUENCE {
///      controlType             LDAPOID,
///      criticality             BOOLEAN DEFAULT FALSE,
///      controlValue            OCTET STRING OPTIONAL }
/// ```
public struct LDAPControl: Hashable, Sendable {
    public var oid: String
    public var criticality: Bool
    public var value: [UInt8]?

    public init(oid: String, criticality: Bool = false, value: [UInt8]? = nil) {
        self.oid = oid
        self.criticality = criticality
        self.value = value
    }

    init(node: ASN1Node) throws {
        var children = try node.children(.sequence, field: "Control").makeIterator()
        oid = try children.required("controlType").utf8String(field: "controlType")
        criticality = false
        value = nil
        var next = children.next()
        if let node = next, node.identifier == .boolean {
            criticality = try node.boolean(field: "criticality")
            next = children.next()
        }
        if let node = next {
            value = Array(try node.primitiveBytes(.octetString, field: "controlValue"))
            next = children.next()
        }
        guard next == nil else { throw LDAPDecodingError("Control: unexpected trailing element") }
    }

    func serialize(into coder: inout DER.Serializer) throws {
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            coder.appendString(oid)
            if criticality { try coder.appendBoolean(true) }
            if let value { coder.appendOctets(value) }
        }
    }

    /// Decodes `[0] Controls`.
    static func decodeList(_ node: ASN1Node) throws -> [LDAPControl] {
        try node.children(.context(0), field: "controls").map { try LDAPControl(node: $0) }
    }
}

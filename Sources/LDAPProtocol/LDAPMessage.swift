public import SwiftASN1

/// The envelope of every LDAP PDU (RFC 4511 §4.1.1).
///
/// ```
/// LDAPMessage ::= SEQUENCE {
///      messageID       MessageID,
///      protocolOp      CHOICE { bindRequest BindRequest, ... },
///      controls       [0] Controls OPTIONAL }
/// MessageID ::= INTEGER (0 ..  maxInt)
/// maxInt INTEGER ::= 2147483647
/// ```
public struct LDAPMessage: Hashable, Sendable {
    public static let maxInt = 2_147_483_647

    public var messageID: Int
    public var operation: ProtocolOperation
    public var controls: [LDAPControl]

    public init(messageID: Int, operation: ProtocolOperation, controls: [LDAPControl] = []) {
        self.messageID = messageID
        self.operation = operation
        self.controls = controls
    }

    /// Decodes one complete PDU (exactly one BER element, as cut by `PDUFramer`).
    public init(berEncoded bytes: ArraySlice<UInt8>) throws {
        try PDUFramer.requireDefiniteLengths(bytes)
        let node: ASN1Node
        do {
            node = try BER.parse(bytes)
        } catch let error as ASN1Error {
            throw LDAPDecodingError("malformed BER: \(error.code)")
        }
        try self.init(node: node)
    }

    public init(node: ASN1Node) throws {
        var children = try node.children(.sequence, field: "LDAPMessage").makeIterator()
        messageID = try children.required("messageID").integer(field: "messageID")
        guard (0...Self.maxInt).contains(messageID) else {
            throw LDAPDecodingError("messageID \(messageID) out of range 0...\(Self.maxInt)")
        }
        operation = try ProtocolOperation(node: try children.required("protocolOp"))
        controls = []
        if let controlsNode = children.next() {
            controls = try LDAPControl.decodeList(controlsNode)
        }
        guard children.next() == nil else { throw LDAPDecodingError("LDAPMessage: trailing element") }
    }

    public func serialize(into coder: inout DER.Serializer) throws {
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.appendInteger(messageID)
            try operation.serialize(into: &coder)
            if !controls.isEmpty {
                try coder.appendConstructedNode(identifier: .context(0)) { coder in
                    for control in controls { try control.serialize(into: &coder) }
                }
            }
        }
    }

    /// The PDU's bytes.
    public func serializedBytes() throws -> [UInt8] {
        var coder = DER.Serializer()
        try serialize(into: &coder)
        return coder.serializedBytes
    }

    /// The first control with the given OID.
    public func control(_ oid: String) -> LDAPControl? {
        controls.first { $0.oid == oid }
    }
}

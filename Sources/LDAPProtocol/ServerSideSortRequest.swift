import SwiftASN1

/// The value of the server-side sort request control (RFC 2891 §1.1): the
/// attributes the client wants the results ordered by. Read so that the sort
/// keys are held to the same rules as a filter (a password cannot be an
/// ordering oracle) and written by their canonical names.
///
/// ```
/// SortKeyList ::= SEQUENCE OF SEQUENCE {
///            attributeType   AttributeDescription,
///            orderingRule    [0] MatchingRuleId OPTIONAL,
///            reverseOrder    [1] BOOLEAN DEFAULT FALSE }
/// ```
public struct ServerSideSortRequest: Hashable, Sendable {
    /// RFC 2891 §1.1.
    public static let oid = "1.2.840.113556.1.4.473"

    public struct Key: Hashable, Sendable {
        public var attributeType: String
        public var orderingRule: String?
        public var reverseOrder: Bool

        public init(attributeType: String, orderingRule: String? = nil, reverseOrder: Bool = false) {
            self.attributeType = attributeType
            self.orderingRule = orderingRule
            self.reverseOrder = reverseOrder
        }
    }

    public var keys: [Key]

    public init(keys: [Key]) { self.keys = keys }

    public init(value: [UInt8]?) throws {
        guard let value else {
            throw LDAPOperationError(.protocolError, "a server-side sort control (RFC 2891) must carry its sort keys")
        }
        do {
            keys = try BER.parse(value).children(.sequence, field: "SortKeyList").map { node in
                var children = try node.children(.sequence, field: "SortKey").makeIterator()
                var key = Key(attributeType: try children.required("attributeType").utf8String(field: "attributeType"))
                while let next = children.next() {
                    switch next.identifier {
                    case .context(0) where key.orderingRule == nil && !key.reverseOrder:
                        key.orderingRule = try next.utf8String(.context(0), field: "orderingRule")
                    case .context(1):
                        key.reverseOrder = try next.boolean(.context(1), field: "reverseOrder")
                    default:
                        throw LDAPDecodingError("SortKey: unexpected element \(next.identifier)")
                    }
                }
                return key
            }
        } catch {
            throw LDAPOperationError(.protocolError, "malformed server-side sort control value (RFC 2891 §1.1): \(error)")
        }
        guard !keys.isEmpty else {
            throw LDAPOperationError(.protocolError, "a server-side sort control (RFC 2891) needs at least one sort key")
        }
    }

    public func encoded() throws -> [UInt8] {
        var coder = DER.Serializer()
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            for key in keys {
                try coder.appendConstructedNode(identifier: .sequence) { coder in
                    coder.appendString(key.attributeType)
                    if let rule = key.orderingRule { coder.appendString(rule, identifier: .context(0)) }
                    if key.reverseOrder { try coder.appendBoolean(true, identifier: .context(1)) }
                }
            }
        }
        return coder.serializedBytes
    }
}

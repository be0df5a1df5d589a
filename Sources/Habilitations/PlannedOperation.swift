public import DirectoryBackend
public import LDAPProtocol

/// One request of a rule-checked transaction (RFC 5805), prepared before the
/// transaction starts so that the concurrency guard can put its assertions
/// (RFC 4528) on it; sent with `send(with:)`.
public struct PlannedOperation: Sendable {
    public enum Kind: Sendable {
        case add([PartialAttribute])
        case modify([ModifyRequest.Change])
        case delete
    }

    public var dn: String
    public var kind: Kind
    /// Controls that travel with the request (the client's assertion, read-entry controls…).
    public var controls: [LDAPControl]
    /// A change of materialised attributes only (member, memberOf, statuses…), which the server computed.
    public var isDerived: Bool

    public init(dn: String, kind: Kind, controls: [LDAPControl] = [], isDerived: Bool = false) {
        self.dn = dn
        self.kind = kind
        self.controls = controls
        self.isDerived = isDerived
    }

    /// Permissive Modify (MS-ADTS 3.1.1.3.4.1.8, supported by slapd): adding a value already there or
    /// deleting one already gone is not an error. A scoped derivation adds or removes one member from a
    /// group it did not read whole; a value already in place must not fail the transaction.
    static let permissiveModify = LDAPControl(oid: "1.2.840.113556.1.4.1413", criticality: false)

    /// A change of materialised attributes the server derived.
    public static func derived(_ dn: String, _ changes: [ModifyRequest.Change]) -> PlannedOperation {
        PlannedOperation(dn: dn, kind: .modify(changes), controls: [permissiveModify], isDerived: true)
    }

    public static func add(_ dn: String, _ attributes: [PartialAttribute], controls: [LDAPControl] = []) -> PlannedOperation {
        PlannedOperation(dn: dn, kind: .add(attributes), controls: controls)
    }

    public static func modify(_ dn: String, _ changes: [ModifyRequest.Change], controls: [LDAPControl] = []) -> PlannedOperation {
        PlannedOperation(dn: dn, kind: .modify(changes), controls: controls)
    }

    public func send(with writer: inout TransactionWriter) throws {
        switch kind {
        case .add(let attributes): try writer.add(dn: dn, attributes: attributes, controls: controls)
        case .modify(let changes): try writer.modify(dn: dn, changes: changes, controls: controls)
        case .delete: try writer.delete(dn: dn, controls: controls)
        }
    }
}

public import LDAPProtocol

/// The writes of one RFC 5805 transaction. Each request carries the
/// Transaction Specification control (RFC 5805 §2.2); slapd applies them all
/// when the transaction ends with a commit, or none.
public struct TransactionWriter {
    /// RFC 5805 §2.2.
    public static let specificationControlOID = "1.3.6.1.1.21.2"

    let connection: LDAPConnection
    let identifier: [UInt8]
    private(set) var operationCount = 0

    init(connection: LDAPConnection, identifier: [UInt8]) {
        self.connection = connection
        self.identifier = identifier
    }

    private var control: LDAPControl {
        LDAPControl(oid: Self.specificationControlOID, criticality: true, value: identifier)
    }

    /// Adds an entry; `controls` (an assertion, say) travel with the request.
    public mutating func add(dn: String, attributes: [PartialAttribute], controls: [LDAPControl] = []) throws {
        _ = try connection.add(dn: dn, attributes: attributes, controls: [control] + controls)
        operationCount += 1
    }

    public mutating func modify(dn: String, changes: [ModifyRequest.Change], controls: [LDAPControl] = []) throws {
        _ = try connection.modify(dn: dn, changes: changes, controls: [control] + controls)
        operationCount += 1
    }

    public mutating func delete(dn: String, controls: [LDAPControl] = []) throws {
        _ = try connection.delete(dn: dn, controls: [control] + controls)
        operationCount += 1
    }
}

public import LDAPProtocol

/// The writes of one RFC 5805 transaction. Each request carries the
/// Transaction Specification control (RFC 5805 §2.2); slapd applies them all
/// when the transaction ends with a commit, or none.
public struct TransactionWriter {
    /// RFC 5805 §2.2.
    public static let specificationControlOID = "1.3.6.1.1.21.2"

    /// One request of the transaction, as the store receives it.
    public enum Request: Sendable {
        case add(dn: String, attributes: [PartialAttribute], controls: [LDAPControl])
        case modify(dn: String, changes: [ModifyRequest.Change], controls: [LDAPControl])
        case delete(dn: String, controls: [LDAPControl])
    }

    /// Where the store takes each request (for slapd: sent with the specification control).
    private let sink: (Request) throws -> Void
    private(set) var operationCount = 0

    /// A writer whose requests go to `sink`: the seam every `DirectoryStore` implements its transactions on.
    public init(sink: @escaping (Request) throws -> Void) {
        self.sink = sink
    }

    /// The writer of slapd's transaction `identifier` on `connection`.
    init(connection: LDAPConnection, identifier: [UInt8]) {
        let control = LDAPControl(oid: Self.specificationControlOID, criticality: true, value: identifier)
        self.init { request in
            switch request {
            case .add(let dn, let attributes, let controls): _ = try connection.add(dn: dn, attributes: attributes, controls: [control] + controls)
            case .modify(let dn, let changes, let controls): _ = try connection.modify(dn: dn, changes: changes, controls: [control] + controls)
            case .delete(let dn, let controls): _ = try connection.delete(dn: dn, controls: [control] + controls)
            }
        }
    }

    /// Adds an entry; `controls` (an assertion, say) travel with the request.
    public mutating func add(dn: String, attributes: [PartialAttribute], controls: [LDAPControl] = []) throws {
        try sink(.add(dn: dn, attributes: attributes, controls: controls))
        operationCount += 1
    }

    public mutating func modify(dn: String, changes: [ModifyRequest.Change], controls: [LDAPControl] = []) throws {
        try sink(.modify(dn: dn, changes: changes, controls: controls))
        operationCount += 1
    }

    public mutating func delete(dn: String, controls: [LDAPControl] = []) throws {
        try sink(.delete(dn: dn, controls: controls))
        operationCount += 1
    }
}

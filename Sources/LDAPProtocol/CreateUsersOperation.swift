import SwiftASN1

/// Annuaire's "create users" extended operation (R4, R5, R8): bulk
/// onboarding, all or nothing. Every request is checked as the create-user
/// operation checks one; if any breaks a rule, nothing is written and every
/// refusal comes back with its index (from 0) and the rule's message. With
/// `dryRun` nothing is written either way. Otherwise all the users, their
/// memberships and the history are written in one LDAP transaction, then
/// each user is mailed its identifier and a temporary password. The result
/// code is success whenever the batch was judged; `refused` says whether it
/// was applied.
///
/// ```
/// createUsersOID ::= 2.25.309896955993207786281445528786519232768.3.4
/// CreateUsersRequestValue ::= SEQUENCE {
///      dryRun   BOOLEAN DEFAULT FALSE,
///      users    SEQUENCE OF CreateUserRequestValue }
/// CreateUsersResponseValue ::= SEQUENCE {
///      created  SEQUENCE OF CreateUserResponseValue,   -- in request order; empty if refused or dryRun
///      refused  SEQUENCE OF SEQUENCE {
///                   index              INTEGER,
///                   diagnosticMessage  LDAPString } }
/// ```
public struct CreateUsersRequest: Hashable, Sendable {
    public static let oid = "2.25.309896955993207786281445528786519232768.3.4"

    public var dryRun: Bool
    public var users: [CreateUserRequest]

    public init(users: [CreateUserRequest], dryRun: Bool = false) {
        self.users = users
        self.dryRun = dryRun
    }

    public init(value: [UInt8]?) throws {
        do {
            guard let value else { throw LDAPDecodingError("missing value") }
            var children = try BER.parse(value).children(.sequence, field: "CreateUsersRequestValue").makeIterator()
            var next = try children.required("users")
            dryRun = false
            if next.identifier == .boolean {
                dryRun = try next.boolean(field: "dryRun")
                next = try children.required("users")
            }
            users = try next.children(.sequence, field: "users").map { try CreateUserRequest(node: $0) }
            guard children.next() == nil else { throw LDAPDecodingError("unexpected element after users") }
        } catch let error as LDAPOperationError {
            throw error
        } catch {
            throw LDAPOperationError(
                .protocolError, "malformed create-users request: expected SEQUENCE { dryRun BOOLEAN DEFAULT FALSE, users SEQUENCE OF CreateUserRequestValue } (\(error))")
        }
    }

    public func encoded() -> [UInt8] {
        var coder = DER.Serializer()
        coder.appendConstructedNode(identifier: .sequence) { coder in
            if dryRun { try? coder.appendBoolean(true) }
            coder.appendConstructedNode(identifier: .sequence) { coder in
                for user in users { user.serialize(into: &coder) }
            }
        }
        return coder.serializedBytes
    }
}

/// The answer to `CreateUsersRequest`: the users created, or why not.
public struct CreateUsersResponse: Hashable, Sendable {
    /// A request the rules refused: its index in the request and the rule's message.
    public struct Refusal: Hashable, Sendable {
        public var index: Int
        public var diagnosticMessage: String

        public init(index: Int, diagnosticMessage: String) {
            self.index = index
            self.diagnosticMessage = diagnosticMessage
        }
    }

    public var created: [CreateUserResponse]
    public var refused: [Refusal]

    public init(created: [CreateUserResponse], refused: [Refusal]) {
        self.created = created
        self.refused = refused
    }

    public init(value: [UInt8]) throws {
        var children = try BER.parse(value).children(.sequence, field: "CreateUsersResponseValue").makeIterator()
        created = try children.required("created").children(.sequence, field: "created").map { try CreateUserResponse(node: $0) }
        refused = try children.required("refused").children(.sequence, field: "refused").map { node in
            var fields = try node.children(.sequence, field: "refusal").makeIterator()
            return Refusal(
                index: try fields.required("index").integer(field: "index"),
                diagnosticMessage: try fields.required("diagnosticMessage").utf8String(field: "diagnosticMessage"))
        }
    }

    public func encoded() -> [UInt8] {
        var coder = DER.Serializer()
        coder.appendConstructedNode(identifier: .sequence) { coder in
            coder.appendConstructedNode(identifier: .sequence) { coder in
                for user in created { user.serialize(into: &coder) }
            }
            coder.appendConstructedNode(identifier: .sequence) { coder in
                for refusal in refused {
                    coder.appendConstructedNode(identifier: .sequence) { coder in
                        try? coder.appendInteger(refusal.index)
                        coder.appendString(refusal.diagnosticMessage)
                    }
                }
            }
        }
        return coder.serializedBytes
    }
}

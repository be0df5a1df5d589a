public import SwiftASN1

/// Annuaire's "create a user" extended operation (R4), under the project's
/// OID arc: the workflow of the portal's "Créer un utilisateur" screen, with
/// the fields typed twice and a habilitation group chosen at creation. The
/// server generates the identifier and answers with it.
///
/// ```
/// createUserOID ::= 2.25.309896955993207786281445528786519232768.3.1
/// CreateUserRequestValue ::= SEQUENCE {
///      convention             LDAPDN,
///      group                  LDAPDN,
///      sn                     LDAPString,
///      givenName              LDAPString,
///      mail                   LDAPString,
///      mailConfirmation       LDAPString,
///      telephoneNumber        [0] LDAPString OPTIONAL,
///      telephoneConfirmation  [1] LDAPString OPTIONAL,
///      workMode               [2] LDAPString OPTIONAL,  -- "sedentary" or "itinerant"
///      openDate               [3] LDAPString OPTIONAL,  -- GeneralizedTime; default today
///      closeDate              [4] LDAPString OPTIONAL,
///      newGroup               [5] NewGroup OPTIONAL }   -- R2: `group` is created, the user its responsible
/// NewGroup ::= SEQUENCE {
///      label                  LDAPString,
///      roles                  SEQUENCE OF LDAPDN,       -- profiles (R3)
///      parent                 [0] LDAPDN OPTIONAL,      -- "sous-groupe de"
///      openDate               [1] LDAPString OPTIONAL,
///      closeDate              [2] LDAPString OPTIONAL }
/// CreateUserResponseValue ::= SEQUENCE {
///      identifier             LDAPString,
///      dn                     LDAPDN }
/// ```
public struct CreateUserRequest: Hashable, Sendable {
    public static let oid = "2.25.309896955993207786281445528786519232768.3.1"

    public var convention: String
    public var group: String
    public var sn: String
    public var givenName: String
    public var mail: String
    public var mailConfirmation: String
    public var telephoneNumber: String?
    public var telephoneConfirmation: String?
    public var workMode: String?
    public var openDate: String?
    public var closeDate: String?
    /// R2, "created on the spot": the group `group` names does not exist yet; it is created with
    /// these fields and the new user as its responsible administrator, in the same transaction.
    public var newGroup: NewGroup?

    /// The fields of a group created together with its responsible (R2).
    public struct NewGroup: Hashable, Sendable {
        public var label: String
        public var roles: [String]
        public var parent: String?
        public var openDate: String?
        public var closeDate: String?

        public init(label: String, roles: [String], parent: String? = nil, openDate: String? = nil, closeDate: String? = nil) {
            self.label = label
            self.roles = roles
            self.parent = parent
            self.openDate = openDate
            self.closeDate = closeDate
        }

        init(node: ASN1Node) throws {
            var children = try node.children(.context(5), field: "newGroup").makeIterator()
            label = try children.required("label").utf8String(field: "label")
            roles = try children.required("roles").children(.sequence, field: "roles").map { try $0.utf8String(field: "role") }
            while let child = children.next() {
                switch child.identifier {
                case .context(0): parent = try child.utf8String(.context(0), field: "parent")
                case .context(1): openDate = try child.utf8String(.context(1), field: "openDate")
                case .context(2): closeDate = try child.utf8String(.context(2), field: "closeDate")
                default: throw LDAPDecodingError("unexpected element \(child.identifier) in newGroup")
                }
            }
        }

        func serialize(into coder: inout DER.Serializer) {
            coder.appendConstructedNode(identifier: .context(5)) { coder in
                coder.appendString(label)
                coder.appendConstructedNode(identifier: .sequence) { coder in
                    for role in roles { coder.appendString(role) }
                }
                for (tag, field) in [(0, parent), (1, openDate), (2, closeDate)] {
                    if let field { coder.appendString(field, identifier: .context(UInt(tag))) }
                }
            }
        }
    }

    public init(
        convention: String, group: String, sn: String, givenName: String, mail: String, mailConfirmation: String,
        telephoneNumber: String? = nil, telephoneConfirmation: String? = nil, workMode: String? = nil,
        openDate: String? = nil, closeDate: String? = nil, newGroup: NewGroup? = nil
    ) {
        self.convention = convention
        self.group = group
        self.sn = sn
        self.givenName = givenName
        self.mail = mail
        self.mailConfirmation = mailConfirmation
        self.telephoneNumber = telephoneNumber
        self.telephoneConfirmation = telephoneConfirmation
        self.workMode = workMode
        self.openDate = openDate
        self.closeDate = closeDate
        self.newGroup = newGroup
    }

    public init(value: [UInt8]?) throws {
        guard let value else {
            throw LDAPOperationError(.protocolError, "malformed create-user request: the request value is missing")
        }
        let node: ASN1Node
        do {
            node = try BER.parse(value)
        } catch {
            throw LDAPOperationError(.protocolError, "malformed create-user request: \(error)")
        }
        try self.init(node: node)
    }

    /// Decodes one CreateUserRequestValue (also an element of a `CreateUsersRequest`).
    public init(node: ASN1Node) throws {
        do {
            var children = try node.children(.sequence, field: "CreateUserRequestValue").makeIterator()
            convention = try children.required("convention").utf8String(field: "convention")
            group = try children.required("group").utf8String(field: "group")
            sn = try children.required("sn").utf8String(field: "sn")
            givenName = try children.required("givenName").utf8String(field: "givenName")
            mail = try children.required("mail").utf8String(field: "mail")
            mailConfirmation = try children.required("mailConfirmation").utf8String(field: "mailConfirmation")
            while let child = children.next() {
                switch child.identifier {
                case .context(0): telephoneNumber = try child.utf8String(.context(0), field: "telephoneNumber")
                case .context(1): telephoneConfirmation = try child.utf8String(.context(1), field: "telephoneConfirmation")
                case .context(2): workMode = try child.utf8String(.context(2), field: "workMode")
                case .context(3): openDate = try child.utf8String(.context(3), field: "openDate")
                case .context(4): closeDate = try child.utf8String(.context(4), field: "closeDate")
                case .context(5): newGroup = try NewGroup(node: child)
                default: throw LDAPDecodingError("unexpected element \(child.identifier)")
                }
            }
        } catch {
            throw LDAPOperationError(
                .protocolError,
                "malformed create-user request: expected SEQUENCE { convention, group, sn, givenName, mail, mailConfirmation, [0] telephoneNumber, [1] telephoneConfirmation, [2] workMode, [3] openDate, [4] closeDate, [5] newGroup { label, roles, [0] parent, [1] openDate, [2] closeDate } } (\(error))")
        }
    }

    public func encoded() -> [UInt8] {
        var coder = DER.Serializer()
        serialize(into: &coder)
        return coder.serializedBytes
    }

    /// Appends this CreateUserRequestValue.
    public func serialize(into coder: inout DER.Serializer) {
        coder.appendConstructedNode(identifier: .sequence) { coder in
            for field in [convention, group, sn, givenName, mail, mailConfirmation] { coder.appendString(field) }
            for (tag, field) in [(0, telephoneNumber), (1, telephoneConfirmation), (2, workMode), (3, openDate), (4, closeDate)] {
                if let field { coder.appendString(field, identifier: .context(UInt(tag))) }
            }
            newGroup?.serialize(into: &coder)
        }
    }
}

/// The answer to `CreateUserRequest`: the generated identifier and the new entry's DN.
public struct CreateUserResponse: Hashable, Sendable {
    public var identifier: String
    public var dn: String

    public init(identifier: String, dn: String) {
        self.identifier = identifier
        self.dn = dn
    }

    public init(value: [UInt8]) throws {
        try self.init(node: try BER.parse(value))
    }

    /// Decodes one CreateUserResponseValue.
    public init(node: ASN1Node) throws {
        var children = try node.children(.sequence, field: "CreateUserResponseValue").makeIterator()
        identifier = try children.required("identifier").utf8String(field: "identifier")
        dn = try children.required("dn").utf8String(field: "dn")
    }

    public func encoded() -> [UInt8] {
        var coder = DER.Serializer()
        serialize(into: &coder)
        return coder.serializedBytes
    }

    /// Appends this CreateUserResponseValue.
    public func serialize(into coder: inout DER.Serializer) {
        coder.appendConstructedNode(identifier: .sequence) { coder in
            coder.appendString(identifier)
            coder.appendString(dn)
        }
    }
}

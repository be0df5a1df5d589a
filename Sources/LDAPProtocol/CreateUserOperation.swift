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
///      closeDate              [4] LDAPString OPTIONAL }
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

    public init(
        convention: String, group: String, sn: String, givenName: String, mail: String, mailConfirmation: String,
        telephoneNumber: String? = nil, telephoneConfirmation: String? = nil, workMode: String? = nil,
        openDate: String? = nil, closeDate: String? = nil
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
                default: throw LDAPDecodingError("unexpected element \(child.identifier)")
                }
            }
        } catch {
            throw LDAPOperationError(
                .protocolError,
                "malformed create-user request: expected SEQUENCE { convention, group, sn, givenName, mail, mailConfirmation, [0] telephoneNumber, [1] telephoneConfirmation, [2] workMode, [3] openDate, [4] closeDate } (\(error))")
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

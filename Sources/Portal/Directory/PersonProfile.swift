import LDAPProtocol

/// Who the logged-in person is, as read from its own entry through its own
/// connection: what the Bienvenue menu offers depends on it (R8: the
/// operator, a partner administrator of its conventions, a group's
/// responsible, or a person). The server still decides every operation.
public struct PersonProfile: Sendable, Equatable {
    public enum Role: Sendable, Equatable {
        case `operator`
        case partnerAdministrator
        case groupResponsible
        case person
    }

    public var dn: String
    public var identifier: String
    public var givenName: String
    public var sn: String
    public var displayName: String
    public var mail: String
    public var telephoneNumber: String
    public var role: Role
    /// R8: the conventions it administers (DNs).
    public var administeredConventions: [String]
    /// R8: the groups it manages as their responsible (DNs).
    public var managedGroups: [String]

    static let attributes = [
        "objectClass", "uid", "cn", "sn", "givenName", "displayName", "mail", "telephoneNumber", "annAdministers", "annManages",
    ]

    /// Only the name is known while the person must change a temporary password (R6: nothing else may be read).
    static func restricted(dn: String, identifier: String) -> PersonProfile {
        PersonProfile(dn: dn, identifier: identifier, givenName: "", sn: "", displayName: identifier, mail: "", telephoneNumber: "",
                      role: .person, administeredConventions: [], managedGroups: [])
    }

    init(dn: String, identifier: String, givenName: String, sn: String, displayName: String, mail: String, telephoneNumber: String,
         role: Role, administeredConventions: [String], managedGroups: [String]) {
        self.dn = dn
        self.identifier = identifier
        self.givenName = givenName
        self.sn = sn
        self.displayName = displayName
        self.mail = mail
        self.telephoneNumber = telephoneNumber
        self.role = role
        self.administeredConventions = administeredConventions
        self.managedGroups = managedGroups
    }

    init(entry: SearchResultEntry, identifier: String, isOperatorAccount: Bool) {
        func string(_ type: String) -> String {
            entry.values(of: type).first.map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
        func strings(_ type: String) -> [String] {
            entry.values(of: type).map { String(decoding: $0, as: UTF8.self) }
        }
        let administered = strings("annAdministers")
        let managed = strings("annManages")
        let role: Role
        if isOperatorAccount {
            role = .operator
        } else if !administered.isEmpty {
            role = .partnerAdministrator
        } else if !managed.isEmpty {
            role = .groupResponsible
        } else {
            role = .person
        }
        let cn = string("cn")
        self.init(
            dn: entry.objectName, identifier: string("uid").isEmpty ? identifier : string("uid"), givenName: string("givenName"), sn: string("sn"),
            displayName: string("displayName").isEmpty ? (cn.isEmpty ? identifier : cn) : string("displayName"),
            mail: string("mail"), telephoneNumber: string("telephoneNumber"), role: role,
            administeredConventions: administered, managedGroups: managed)
    }

    /// Whether it may manage users and groups somewhere (R8).
    public var managesHabilitations: Bool { role != .person }
}

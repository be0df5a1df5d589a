import LibLDAP
import LDAPProtocol
import Messages
import Habilitations

/// A bound connection to the server and the directory's layout as the
/// commands see it: where people, services and partners live, and how a
/// code typed on the command line (group T1, profile CDAP/T1, identifier
/// XXX0606XX11) becomes a DN.
final class DirectorySession {
    let client: DirectoryClient
    let base: String
    let bindDN: String

    /// Where each kind of entry lives below the server's suffix, as the server itself places them.
    var layout: DirectoryLayout { DirectoryLayout(suffix: base) }
    var people: String { layout.people }
    var services: String { layout.services }
    var partners: String { layout.partners }

    private init(client: DirectoryClient, base: String, bindDN: String) {
        self.client = client
        self.base = base
        self.bindDN = bindDN
    }

    /// Connects (StartTLS when offered), then binds.
    static func open(_ options: ConnectionOptions, context: CLIContext) throws -> DirectorySession {
        let settings = ConnectionSettings(options, context: context)
        guard let bindDN = settings.bindDN else {
            throw CLIError.usage(context.catalogue.text(.errorNoBindDN))
        }
        let password = try ConnectionSettings.password(file: options.passwordFile, context: context, bindDN: bindDN)
        guard !password.isEmpty else { throw CLIError.usage(context.catalogue.text(.errorEmptyPassword)) }
        if let file = settings.caCertificateFile, !FileChecks.isReadable(file) {
            throw CLIError(context.catalogue(.errorCACertUnreadable, ("file", file)), status: .ioError)
        }
        let client = try DirectoryClient(uri: settings.uri, tls: settings.tls, caCertificateFile: settings.caCertificateFile)
        // The server words its refusals (R2…R11) in the language the person reads.
        client.requestControls = [LanguagePreferenceControl.control(tag: context.catalogue.language.rawValue)]
        // R10: the usage rules are read before binding and shown once the bind succeeded, at the first login.
        let rules = try? UsageRulesText.read(client, base: settings.base)
        try client.bind(dn: bindDN, password: Array(password.utf8))
        if let rules { UsageRulesNotice.showOnFirstLogin(rules, bindDN: bindDN, context: context) }
        return DirectorySession(client: client, base: settings.base, bindDN: bindDN)
    }

    // MARK: - Names

    /// A user's DN from an identifier (or a DN, kept).
    func userDN(_ identifier: String) -> String {
        identifier.contains("=") ? identifier : "uid=\(LDAPText.escapeRDNValue(identifier)),\(people)"
    }

    /// A profile's DN from SERVICE/PROFILE (e.g. CDAP/T1), or a DN.
    func profileDN(_ role: String) throws -> String {
        if role.contains("=") { return role }
        let parts = role.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw CLIError.usage(CLIContext.texts(.errorRoleSyntax, ("role", role)))
        }
        return "cn=\(LDAPText.escapeRDNValue(String(parts[1]))),cn=\(LDAPText.escapeRDNValue(String(parts[0]))),\(services)"
    }

    /// SERVICE/PROFILE for a profile DN below ou=services; the DN otherwise.
    func roleName(_ profileDN: String) -> String {
        let service = LDAPText.parent(of: profileDN)
        guard LDAPText.parent(of: service).caseInsensitiveEquals(services) else { return profileDN }
        return "\(LDAPText.leafValue(of: service))/\(LDAPText.leafValue(of: profileDN))"
    }

    /// The convention to work in: `--convention` (a number or a DN), else the
    /// one the bound administrator administers.
    func convention(_ explicit: String?) throws -> String {
        if let explicit {
            if explicit.contains("=") { return explicit }
            let found = try client.search(
                base: partners, scope: .wholeSubtree,
                filter: .and([.objectClass("annConvention"), .equals("cn", explicit)]), attributes: ["1.1"])
            guard let first = found.first else { throw CLIError.notFound(CLIContext.texts(.errorNoConventionVisible, ("convention", explicit))) }
            return first.objectName
        }
        let administered = try client.read(bindDN, attributes: ["annAdministers"])?.strings("annAdministers") ?? []
        switch administered.count {
        case 1: return administered[0]
        case 0: throw CLIError.usage(CLIContext.texts.text(.errorAdministerNoConvention))
        default: throw CLIError.usage(CLIContext.texts(.errorAdministerSeveral, ("conventions", administered.map(LDAPText.leafValue(of:)).joined(separator: ", "))))
        }
    }

    /// A group's DN from its code (searched in the visible conventions, or in
    /// `convention` when given) or a DN.
    func groupDN(_ code: String, convention explicit: String?) throws -> String {
        if code.contains("=") { return code }
        if let explicit {
            return "cn=\(LDAPText.escapeRDNValue(code)),\(try convention(explicit))"
        }
        let found = try client.search(
            base: partners, scope: .wholeSubtree,
            filter: .and([.objectClass("annGroup"), .equals("cn", code)]), attributes: ["1.1"])
        switch found.count {
        case 1: return found[0].objectName
        case 0: throw CLIError.notFound(CLIContext.texts(.errorNoGroupVisible, ("code", code)))
        default:
            let conventions = found.map { LDAPText.leafValue(of: LDAPText.parent(of: $0.objectName)) }
            throw CLIError.usage(CLIContext.texts(.errorGroupInSeveral, ("code", code), ("conventions", conventions.joined(separator: ", "))))
        }
    }

    /// R5: attaches a user to a group from `openDate` (the server's default: today).
    func addMembership(_ identifier: String, to groupDN: String, openDate: String?, closeDate: String?) throws {
        var attributes = [
            PartialAttribute(type: "objectClass", strings: ["annMembership"]),
            PartialAttribute(type: "annMemberUid", strings: [identifier]),
            PartialAttribute(type: "annMember", strings: [userDN(identifier)]),
        ]
        if let openDate { attributes.append(PartialAttribute(type: "annOpenDate", strings: [openDate])) }
        if let closeDate { attributes.append(PartialAttribute(type: "annCloseDate", strings: [closeDate])) }
        try client.add(dn: "annMemberUid=\(LDAPText.escapeRDNValue(identifier)),\(groupDN)", attributes: attributes)
    }

    /// Reads an entry that must exist.
    func require(_ dn: String, what: String, attributes: [String] = ["*", "+"]) throws -> SearchResultEntry {
        guard let entry = try client.read(dn, attributes: attributes) else {
            throw CLIError.notFound(CLIContext.texts(.errorNotVisible, ("what", what), ("dn", dn)))
        }
        return entry
    }
}

import ArgumentParser
import Foundation
import LDAPProtocol

/// `annuaire application create`: an application's account (R8), read-only
/// and scoped to the users habilitated for the services named. Its password
/// is read from a file the operator wrote (never from the command line, never
/// printed) and sent inside the LDAP Add, over TLS when the server offers it;
/// slapd stores only its argon2 hash.
struct ApplicationCreateCommand: DirectoryCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create an application account scoped to one or more services (operator only).",
        discussion: """
            Example: annuaire application create --name apache --service CDAP --account-password-file apache.secret \\
                       -D uid=operateur,ou=operators,dc=annuaire,dc=local
            The application then binds as uid=apache,ou=operators,<suffix> with that password and sees only
            the users holding a profile of CDAP (through an effective group) and the groups giving CDAP roles.

            \(AnnuaireCLI.commonDiscussion)
            """
    )

    /// A long random secret is expected: it is typed by nobody.
    static let minimumPasswordLength = 16

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "The account's name: its uid under ou=operators (letters, digits, '-', '_', '.').")
    var name: String

    @Option(help: "A service code (CDAP) or DN the application serves; repeat for several.")
    var service: [String]

    @Option(help: "File whose first line is the application's password (16 characters or more); keep it mode 0600.")
    var accountPasswordFile: String

    @Option(name: .customLong("description"), help: "What the application is (stored as description).")
    var summary: String?

    func validate() throws {
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
            throw ValidationError("--name must be letters, digits, '-', '_' or '.', not \"\(name)\"")
        }
        guard !service.isEmpty else { throw ValidationError("name at least one --service") }
    }

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let password = try ConnectionSettings.password(file: accountPasswordFile, context: context, bindDN: name)
        guard password.count >= Self.minimumPasswordLength else {
            throw CLIError.usage(
                "the application's password in \(accountPasswordFile) has \(password.count) characters; use \(Self.minimumPasswordLength) or more (e.g. openssl rand -base64 24)")
        }
        var services: [String] = []
        for code in service {
            let dn = code.contains("=") ? code : "cn=\(LDAPText.escapeRDNValue(code)),\(session.services)"
            _ = try session.require(dn, what: "service \(code)", attributes: ["1.1"])
            services.append(dn)
        }
        let dn = ApplicationRecords.dn(name, session: session)
        try session.client.add(dn: dn, attributes: [
            PartialAttribute(type: "objectClass", strings: ["inetOrgPerson", "annServiceAccount"]),
            PartialAttribute(type: "uid", strings: [name]),
            PartialAttribute(type: "cn", strings: [name]),
            PartialAttribute(type: "sn", strings: [name]),
            PartialAttribute(type: "description", strings: [summary ?? "Application account"]),
            PartialAttribute(type: "annServiceScope", strings: services),
            PartialAttribute(type: "userPassword", strings: [password]),
        ])
        let entry = try session.require(dn, what: "application \(name)", attributes: ApplicationRecords.attributes)
        context.print(RecordRenderer.detail(ApplicationRecords.row(entry), format: .table))
    }
}

import ArgumentParser
import Messages
import Foundation
import LDAPProtocol

/// `annuaire application create`: an application's account (R8), read-only
/// and scoped to the users habilitated for the services named. Its password
/// is read from a file the operator wrote (never from the command line, never
/// printed) and sent inside the LDAP Add, over TLS when the server offers it;
/// slapd stores only its argon2 hash.
struct ApplicationCreateCommand: DirectoryCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "create",
        abstract: CLIContext.texts.text(.helpApplicationCreate),
        discussion: """
            \(CLIContext.texts.text(.helpExample)) annuaire application create --name apache --service CDAP --account-password-file apache.secret \\
                       -D uid=operateur,ou=operators,dc=annuaire,dc=local
            \(CLIContext.texts.text(.helpDiscussApplicationCreate))

            \(AnnuaireCLI.commonDiscussion)
            """
    ) }

    /// A long random secret is expected: it is typed by nobody.
    static let minimumPasswordLength = 16

    @OptionGroup var connection: ConnectionOptions

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionApplicationName)))
    var name: String

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionApplicationService)))
    var service: [String]

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionApplicationPasswordFile)))
    var accountPasswordFile: String

    @Option(name: .customLong("description"), help: ArgumentHelp(CLIContext.texts.text(.helpOptionApplicationDescription)))
    var summary: String?

    func validate() throws {
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
            throw ValidationError(CLIContext.texts(.errorApplicationName, ("name", name)))
        }
        guard !service.isEmpty else { throw ValidationError(CLIContext.texts.text(.errorApplicationService)) }
    }

    func execute(_ session: DirectorySession, _ context: CLIContext) throws {
        let password = try ConnectionSettings.password(file: accountPasswordFile, context: context, bindDN: name)
        guard password.count >= Self.minimumPasswordLength else {
            throw CLIError.usage(context.catalogue(
                .errorApplicationPasswordShort, ("file", accountPasswordFile), ("length", "\(password.count)"), ("minimum", "\(Self.minimumPasswordLength)")))
        }
        var services: [String] = []
        for code in service {
            let dn = code.contains("=") ? code : "cn=\(LDAPText.escapeRDNValue(code)),\(session.services)"
            _ = try session.require(dn, what: code, attributes: ["1.1"])
            services.append(dn)
        }
        let dn = ApplicationRecords.dn(name, session: session)
        try session.client.add(dn: dn, attributes: [
            PartialAttribute(type: "objectClass", strings: ["inetOrgPerson", "annServiceAccount"]),
            PartialAttribute(type: "uid", strings: [name]),
            PartialAttribute(type: "cn", strings: [name]),
            PartialAttribute(type: "sn", strings: [name]),
            PartialAttribute(type: "description", strings: [summary ?? context.catalogue.text(.applicationDefaultDescription)]),
            PartialAttribute(type: "annServiceScope", strings: services),
            PartialAttribute(type: "userPassword", strings: [password]),
        ])
        let entry = try session.require(dn, what: name, attributes: ApplicationRecords.attributes)
        context.print(RecordRenderer.detail(ApplicationRecords.row(entry), format: .table))
    }
}

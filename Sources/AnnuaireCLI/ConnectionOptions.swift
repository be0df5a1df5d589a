public import ArgumentParser
import Messages
import LibLDAP

/// The connection flags every directory command takes, named as in
/// ldap-utils. Unset flags fall back to the environment (`LDAPURI`,
/// `LDAPBASE`, `LDAPBINDDN`, `LDAPTLS_CACERT`), then to Annuaire's config
/// file (`$ANNUAIRE_CONFIG`, else `~/.config/annuaire/config`), then to
/// ldap.conf(5) files.
public struct ConnectionOptions: ParsableArguments {
    @Option(name: [.customShort("H"), .long], help: "Server URI, ldap://host:port or ldaps://host:port (env LDAPURI; default ldap://127.0.0.1:3389).")
    var uri: String?

    @Option(name: [.customShort("D"), .long], help: "DN to bind as, or a user identifier such as XXX0606XX01 (env LDAPBINDDN).")
    var bindDn: String?

    @Option(name: [.customShort("b"), .long], help: "The directory's suffix (env LDAPBASE; default dc=annuaire,dc=local).")
    var base: String?

    @Option(help: "File whose first line is the password (else env ANNUAIRE_PASSWORD, else a no-echo prompt).")
    var passwordFile: String?

    @Option(help: "PEM file of the CA to trust for TLS (env LDAPTLS_CACERT).")
    var caCert: String?

    @Option(help: "TLS: auto (StartTLS when the server offers it; the default), required, or off (config file: TLS).")
    var tls: TLSChoice?

    @Option(name: .customLong("lang"), help: ArgumentHelp(CLIContext.texts.text(.helpOptionLanguage)))
    var language: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionCSVStyle)))
    var csvStyle: CSVStyle?

    public init() {}
}

/// `--tls` values.
enum TLSChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, required, off

    var mode: DirectoryClient.TLSMode {
        switch self {
        case .auto: .auto
        case .required: .required
        case .off: .off
        }
    }
}

public import ArgumentParser
import Messages
import LibLDAP

/// The connection flags every directory command takes, named as in
/// ldap-utils. Unset flags fall back to the environment (`LDAPURI`,
/// `LDAPBASE`, `LDAPBINDDN`, `LDAPTLS_CACERT`), then to Annuaire's config
/// file (`$ANNUAIRE_CONFIG`, else `~/.config/annuaire/config`), then to
/// ldap.conf(5) files.
public struct ConnectionOptions: ParsableArguments {
    @Option(name: [.customShort("H"), .long], help: ArgumentHelp(CLIContext.texts.text(.helpOptionURI)))
    var uri: String?

    @Option(name: [.customShort("D"), .long], help: ArgumentHelp(CLIContext.texts.text(.helpOptionBindDN)))
    var bindDn: String?

    @Option(name: [.customShort("b"), .long], help: ArgumentHelp(CLIContext.texts.text(.helpOptionBase)))
    var base: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionPasswordFile)))
    var passwordFile: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionCACert)))
    var caCert: String?

    @Option(help: ArgumentHelp(CLIContext.texts.text(.helpOptionTLS)))
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

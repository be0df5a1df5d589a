import LibLDAP
import Messages
import Foundation
import Habilitations

/// Connection settings once flags, environment, Annuaire's config file and
/// ldap.conf(5) are merged (in that order of precedence), and the password once found.
struct ConnectionSettings {
    static let defaultURI = "ldap://127.0.0.1:3389"
    static let defaultBase = "dc=annuaire,dc=local"

    var uri: String
    var base: String
    var bindDN: String?
    var caCertificateFile: String?
    var tls: DirectoryClient.TLSMode

    init(_ options: ConnectionOptions, context: CLIContext) {
        let environment = context.environment
        // Annuaire's own file last: it overrides ldap.conf(5).
        let file = LDAPConfigurationFile(paths: context.configurationFiles + AnnuaireConfigFile.paths(environment: environment))
        func nonEmpty(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }
        let uriList = nonEmpty(options.uri) ?? nonEmpty(environment["LDAPURI"]) ?? nonEmpty(file["URI"]) ?? Self.defaultURI
        uri = uriList.split(whereSeparator: { $0 == " " || $0 == "," }).first.map(String.init) ?? Self.defaultURI
        base = nonEmpty(options.base) ?? nonEmpty(environment["LDAPBASE"]) ?? nonEmpty(file["BASE"]) ?? Self.defaultBase
        let bind = nonEmpty(options.bindDn) ?? nonEmpty(environment["LDAPBINDDN"]) ?? nonEmpty(file["BINDDN"])
        if let bind, !bind.contains("=") {
            bindDN = DirectoryLayout(suffix: base).user(bind)
        } else {
            bindDN = bind
        }
        caCertificateFile = nonEmpty(options.caCert) ?? nonEmpty(environment["LDAPTLS_CACERT"]) ?? nonEmpty(file["CACERT"]) ?? nonEmpty(file["TLS_CACERT"])
        tls = (options.tls ?? file["TLS"].flatMap { TLSChoice(rawValue: $0.lowercased()) } ?? .auto).mode
    }

    /// The password: `--password-file`, else `ANNUAIRE_PASSWORD`, else a no-echo prompt.
    static func password(file: String?, context: CLIContext, bindDN: String) throws -> String {
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CLIError(context.catalogue(.errorPasswordFileUnreadable, ("file", file)), status: .ioError)
            }
            let text = String(decoding: data, as: UTF8.self)
            return text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map {
                String($0.hasSuffix("\r") ? $0.dropLast() : $0)
            } ?? ""
        }
        if let password = context.environment["ANNUAIRE_PASSWORD"] {
            return password
        }
        guard let password = context.promptPassword(context.catalogue(.promptPassword, ("dn", bindDN))) else {
            throw CLIError.usage(context.catalogue.text(.errorNoPassword))
        }
        return password
    }
}

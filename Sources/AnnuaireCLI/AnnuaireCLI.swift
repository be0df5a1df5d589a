public import ArgumentParser

/// The administrators' commands of `annuaire` (issue 6): groups, users,
/// memberships, conventions, history (R11), dashboards, usage rules (R10),
/// and the operator's catalogue and accounts, over LDAP to the server so that every rule
/// (R1–R8) and every authorisation check applies. The executable registers
/// `AnnuaireCLI.commands` next to `serve`.
public enum AnnuaireCLI {
    public static let commands: [any ParsableCommand.Type] = [
        GroupCommand.self, UserCommand.self, MembershipCommand.self, ConventionCommand.self,
        HistoryCommand.self, DashboardCommand.self, RulesCommand.self,
        PartnerTypeCommand.self, PartnerCommand.self, ServiceCommand.self, OperatorCommand.self, AdministratorCommand.self,
        ApplicationCommand.self,
    ]

    /// Common help text: connection settings and exit codes.
    static let commonDiscussion = """
        Connection: -H/--uri, -D/--bind-dn, -b/--base, or LDAPURI, LDAPBINDDN, LDAPBASE, LDAPTLS_CACERT, \
        or the config file $ANNUAIRE_CONFIG (default ~/.config/annuaire/config: URI, BASE, BINDDN, CACERT, TLS lines), \
        or ldap.conf(5) (URI, BASE, BINDDN, TLS_CACERT). StartTLS is used when the server offers it (--tls). \
        Password: --password-file FILE, else ANNUAIRE_PASSWORD, else a prompt without echo.

        \(ExitStatus.helpText)
        """
}

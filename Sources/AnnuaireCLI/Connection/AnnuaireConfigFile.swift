/// Annuaire's own client settings file, in ldap.conf(5) syntax (`KEY value`
/// lines, `#` comments): `URI`, `BASE`, `BINDDN`, `CACERT` (or `TLS_CACERT`)
/// and `TLS` (auto, required, off). It is `$ANNUAIRE_CONFIG` when set, else
/// `$XDG_CONFIG_HOME/annuaire/config`, else `~/.config/annuaire/config`;
/// flags and the environment override it, and it overrides ldap.conf(5).
enum AnnuaireConfigFile {
    static func paths(environment: [String: String]) -> [String] {
        if let explicit = environment["ANNUAIRE_CONFIG"], !explicit.isEmpty { return [explicit] }
        guard let folder = configFolder(environment: environment) else { return [] }
        return [folder + "/config"]
    }

    /// `$XDG_CONFIG_HOME/annuaire` or `$HOME/.config/annuaire`; nil without either.
    static func configFolder(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/annuaire" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/annuaire" }
        return nil
    }
}

import Messages

/// One entry of the Bienvenue menu (the tutorial's "Gestion des
/// habilitations" and the personal entries), shown only to the roles it
/// serves (R8). Entries whose screens the portal does not have yet are not
/// listed (see README, "Portal").
struct MenuEntry {
    let key: String
    let path: String
    let roles: Set<PersonProfile.Role>

    static let habilitations: [MenuEntry] = [
        MenuEntry(key: "menu.partners", path: "/organismes", roles: [.operator, .partnerAdministrator]),
        MenuEntry(key: "menu.conventions", path: "/conventions", roles: [.operator, .partnerAdministrator, .groupResponsible]),
        MenuEntry(key: "menu.users", path: "/utilisateurs", roles: [.operator, .partnerAdministrator, .groupResponsible]),
        MenuEntry(key: "menu.groups", path: "/groupes", roles: [.operator, .partnerAdministrator, .groupResponsible]),
        MenuEntry(key: "menu.history", path: "/historique", roles: [.operator, .partnerAdministrator]),
        MenuEntry(key: "menu.dashboards", path: "/tableaux-de-bord", roles: [.operator, .partnerAdministrator]),
        // The operator's catalogue.
        MenuEntry(key: "menu.internalUsers", path: "/internes", roles: [.operator]),
        MenuEntry(key: "menu.partnerTypes", path: "/types-partenaires", roles: [.operator]),
        MenuEntry(key: "menu.services", path: "/services", roles: [.operator]),
        MenuEntry(key: "menu.administrators", path: "/administrateurs", roles: [.operator]),
        MenuEntry(key: "menu.applications", path: "/applications", roles: [.operator]),
    ]

    static let personal: [MenuEntry] = [
        MenuEntry(key: "menu.rules", path: "/regles", roles: [.operator, .partnerAdministrator, .groupResponsible, .person]),
        MenuEntry(key: "menu.profile", path: "/profil", roles: [.operator, .partnerAdministrator, .groupResponsible, .person]),
    ]

    static func values(_ entries: [MenuEntry], role: PersonProfile.Role, language: Language) -> [[String: String]] {
        entries.filter { $0.roles.contains(role) }.map { ["label": PortalTexts.text($0.key, language), "path": $0.path] }
    }
}


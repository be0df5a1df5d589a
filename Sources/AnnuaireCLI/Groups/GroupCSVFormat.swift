/// The CSV of `group import` and `group export` (R2, R3): one group a line.
/// `import` needs code, label and responsible; roles are SERVICE/PROFILE
/// separated by ';'; parent names a group of the same convention (existing,
/// or on an earlier line). level, status and members are derived: ignored.
enum GroupCSVFormat {
    static let columns: [ImportColumns.Column] = [
        .init("code", ["Code", "cn"], required: true),
        .init("label", ["Libellé"], required: true),
        .init("responsible", ["Responsable", "Responsable habilitations"], required: true),
        .init("roles", ["role", "Rôles", "Rôle"]),
        .init("parent", ["Sous-groupe de", "parentGroup"]),
        .init("openDate", ["Date d'ouverture"]),
        .init("closeDate", ["Date de clôture"]),
        .init("convention", ["Convention"]),
    ]

    static let ignored = ["level", "Niveau", "status", "Statut", "members", "Membres"]

    /// The export's French headers (each one an alias `import` reads).
    static let frenchHeaders = [
        "code": "Code", "label": "Libellé", "responsible": "Responsable", "roles": "Rôles", "parent": "Sous-groupe de",
        "openDate": "Date d'ouverture", "closeDate": "Date de clôture", "convention": "Convention", "status": "Statut",
    ]

    static let exportKeys = ["code", "label", "responsible", "roles", "parent", "openDate", "closeDate", "convention", "status"]
}

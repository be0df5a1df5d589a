/// The CSV of `user import` and `user export` (R4): one user a line, the
/// header naming the columns. `export` writes every column; `import` needs
/// lastName, firstName, mail, workMode and group (or `--group`,
/// `--work-mode`), reads the confirmations when present (else the value is
/// taken as confirmed), and ignores identifier and status: the server
/// generates identifiers.
enum UserCSVFormat {
    static let columns: [ImportColumns.Column] = [
        .init("lastName", ["Nom", "sn"], required: true),
        .init("firstName", ["Prénom", "givenName"], required: true),
        .init("mail", ["Adresse mail", "e-mail", "email"], required: true),
        .init("mailConfirmation", ["Confirmer adresse mail", "Confirmation adresse mail"]),
        .init("telephone", ["Téléphone", "telephoneNumber", "phone"]),
        .init("telephoneConfirmation", ["Confirmer le téléphone", "phoneConfirmation"]),
        .init("workMode", ["Mode de travail"], required: true),
        .init("group", ["groups", "Groupe", "Groupes", "Groupe d'habilitation"], required: true),
        .init("openDate", ["Date d'ouverture"]),
        .init("closeDate", ["Date de clôture"]),
        .init("convention", ["Convention"]),
    ]

    /// Read-only columns an export writes and an import skips.
    static let ignored = ["identifier", "Identifiant", "status", "Statut"]

    /// The export's header, in order.
    static let exportKeys = [
        "identifier", "lastName", "firstName", "mail", "telephone", "workMode", "group", "openDate", "closeDate", "convention", "status",
    ]

    /// The export's French headers (each one an alias `import` reads).
    static let frenchHeaders = [
        "identifier": "Identifiant", "lastName": "Nom", "firstName": "Prénom", "mail": "Adresse mail", "telephone": "Téléphone",
        "workMode": "Mode de travail", "group": "Groupes", "openDate": "Date d'ouverture", "closeDate": "Date de clôture",
        "convention": "Convention", "status": "Statut",
    ]

    /// A work mode as typed in a file: sedentary/itinerant or the portal's Sédentaire/Itinérant.
    static func workMode(_ text: String) -> String {
        switch ImportColumns.normalized(text) {
        case "sedentary", "sedentaire": "sedentary"
        case "itinerant": "itinerant"
        default: text
        }
    }
}

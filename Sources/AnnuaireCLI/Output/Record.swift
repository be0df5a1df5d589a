import LDAPProtocol

/// One row of a listing, or the detail of one entry: named fields, each with
/// the portal's French header, the text shown in tables, and the plain value
/// scripts get in JSON and CSV.
struct Record {
    /// One field.
    struct Field {
        /// The machine key (JSON and CSV): `identifier`, `lastName`, …
        var key: String
        /// The portal's column header: `Identifiant`, `Nom`, …
        var header: String
        /// The plain value(s) for scripts.
        var values: [String]
        /// Whether `values` is a list (a JSON array) rather than one value.
        var isList: Bool
        /// What a table shows.
        var display: String

        init(_ key: String, _ header: String, _ value: String?, display: String? = nil) {
            self.key = key
            self.header = header
            values = [value ?? ""]
            isList = false
            self.display = display ?? value ?? ""
        }

        init(_ key: String, _ header: String, list: [String], display: String? = nil) {
            self.key = key
            self.header = header
            values = list
            isList = true
            self.display = display ?? list.joined(separator: ", ")
        }
    }

    var fields: [Field]
    /// The entry the record was read from (for `--format ldif`).
    var entry: SearchResultEntry?
}

import ArgumentParser

/// `--format`: a table shaped like the portal's lists, or a format for scripts.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    /// Aligned columns with the portal's headers; dates 25/08/2021; closed users "Désactivé"/"Clôturé".
    case table
    /// An array of objects (one object for `show`), plain values: dates 2021-08-25, status open/closed.
    case json
    /// RFC 4180, a header line of the JSON keys, plain values; lists joined with ';'.
    case csv
    /// The entries as the server returns them (RFC 2849).
    case ldif
}

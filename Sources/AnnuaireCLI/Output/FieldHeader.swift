import Messages

/// A table's column or a record's line name in the reader's language (issue
/// #16, item 5): records carry the portal's French names; in English each
/// French name the catalogue has as a `header…` text is shown as its English
/// text. CSV keeps the French names (spreadsheet style) or the keys, which
/// `user import` and `group import` read back.
enum FieldHeader {
    /// The catalogue's column names, by their French text.
    static let byFrenchText: [String: Message] = Dictionary(
        Message.allCases.filter { $0.rawValue.hasPrefix("header") }.map { (Catalogue(.french).text($0), $0) },
        uniquingKeysWith: { first, _ in first })

    /// `header` as the reader reads it.
    static func shown(_ header: String, _ catalogue: Catalogue) -> String {
        guard catalogue.language != .french, let message = byFrenchText[header] else { return header }
        return catalogue.text(message)
    }
}

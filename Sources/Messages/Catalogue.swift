/// The one message catalogue of Annuaire's user-facing texts (issue #16,
/// item 5): a `Message` key is looked up in the chosen language's table and
/// its `{name}` placeholders are filled. Both tables are exhaustive switches
/// over `Message`, so a key without its French or English text does not compile.
public struct Catalogue: Sendable, Hashable {
    public var language: Language

    public init(_ language: Language) {
        self.language = language
    }

    /// The catalogue for a flag and an environment (see `Language.chosen`).
    public init(flag: String? = nil, environment: [String: String]) {
        language = Language.chosen(flag: flag, environment: environment)
    }

    /// The text of `message`, its placeholders filled from `values` (unknown ones are left as written).
    public func text(_ message: Message, _ values: [String: String] = [:]) -> String {
        let template = switch language {
        case .french: FrenchTexts.text(message)
        case .english: EnglishTexts.text(message)
        }
        return Self.fill(template, values)
    }

    /// `text` with the values given as a list of pairs, in the order of the call site.
    public func callAsFunction(_ message: Message, _ values: (String, String)...) -> String {
        text(message, Dictionary(values, uniquingKeysWith: { _, last in last }))
    }

    static func fill(_ template: String, _ values: [String: String]) -> String {
        guard !values.isEmpty, template.contains("{") else { return template }
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let name = String(rest[rest.index(after: open)..<close])
            if let value = values[name] { out += value } else { out += rest[open...close] }
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }
}

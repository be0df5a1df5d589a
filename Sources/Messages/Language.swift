/// The language people read (common brief: French by default, English
/// second). Chosen from a flag when given, else from the POSIX locale
/// variables in their order of precedence (`LC_ALL`, `LC_MESSAGES`, `LANG`,
/// as setlocale(3) reads them): a locale starting with `en` gives English,
/// anything else — `fr_FR.UTF-8`, `C`, unset — French.
public enum Language: String, Sendable, CaseIterable, Hashable {
    case french = "fr"
    case english = "en"

    /// `fr`, `en`, `french`, `anglais`, `fr_FR.UTF-8`, `en-GB`…; nil when none of the two.
    public init?(tag: String) {
        let lowered = tag.lowercased()
        if lowered.hasPrefix("fr") { self = .french }
        else if lowered.hasPrefix("en") || lowered == "anglais" { self = .english }
        else { return nil }
    }

    /// The flag if given, else `ANNUAIRE_LANG`, else the first set locale variable; French by default.
    public static func chosen(flag: String? = nil, environment: [String: String]) -> Language {
        if let flag, let language = Language(tag: flag) { return language }
        if let explicit = environment["ANNUAIRE_LANG"], let language = Language(tag: explicit) { return language }
        for variable in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let value = environment[variable], !value.isEmpty else { continue }
            return Language(tag: value) ?? .french
        }
        return .french
    }
}

extension Language {
    /// The language of the request being served: the server sets it from the client's
    /// preference for the time of a request; French when nobody said.
    @TaskLocal public static var current: Language = .french
}

import Foundation

/// The portal's name filters as people type them: "starts with", ignoring
/// case and accents (`leg` finds LÉGER, `noemie` finds Noémie). slapd's
/// caseIgnoreSubstringsMatch folds case but not accents, so the accents are
/// folded here, on the entries the rest of the filter selected.
enum NameMatching {
    static func folded(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: Locale(identifier: "fr_FR"))
            .trimmingCharacters(in: .whitespaces)
    }

    static func startsWith(_ value: String?, _ typed: String) -> Bool {
        guard let value else { return false }
        return folded(value).hasPrefix(folded(typed))
    }
}

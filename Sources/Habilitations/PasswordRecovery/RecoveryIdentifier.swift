import Foundation

/// An identifier as the forgot-password request names it (R6), normalised
/// before anything is counted or looked up: Unicode NFKC, then case folding,
/// so that `ＸＸＸ０６０６ＸＸ10` and `xxx0606xx10` are one identifier for the
/// rate limits, as they are one entry for slapd (whose `uid` matching ignores
/// case and width). What does not match the identifier grammar afterwards
/// (ASCII letters and digits, then letters, digits, `.`, `_` or `-`, 64 at
/// most) names nobody: it is treated as a missing identifier.
public struct RecoveryIdentifier: Sendable, Hashable {
    /// The normalised identifier, the key of the rate limits and the RDN value looked up.
    public let normalised: String

    /// Nil when `raw`, normalised, is not an identifier.
    public init?(_ raw: String) {
        let folded = Self.key(raw)
        guard Self.isWellFormed(folded) else { return nil }
        normalised = folded
    }

    /// The normalised form of `raw`, well formed or not (the rate limits' key for anything sent):
    /// NFKC, case folded, NFKC again (folding may undo the composition).
    public static func key(_ raw: String) -> String {
        raw.precomposedStringWithCompatibilityMapping.folding(options: [.caseInsensitive], locale: nil)
            .precomposedStringWithCompatibilityMapping
    }

    static func isWellFormed(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.first, scalars.count <= 64, isASCIIAlphanumeric(first) else { return false }
        return scalars.allSatisfy { isASCIIAlphanumeric($0) || $0 == "." || $0 == "_" || $0 == "-" }
    }

    private static func isASCIIAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}

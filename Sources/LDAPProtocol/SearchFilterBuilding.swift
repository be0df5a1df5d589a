/// Building filters from text values (RFC 4515 §3): the value is kept as its
/// UTF-8 octets and escaped only when the filter is rendered
/// (`rfc4515String()`), so no value, whatever it holds (`*`, `(`, `)`, `\`,
/// NUL), can change what the filter asks.
extension SearchFilter {
    /// `(type=value)`.
    public static func equals(_ type: String, _ value: String) -> SearchFilter {
        .equality(type, Array(value.utf8))
    }

    /// `(type=value*)`: values that start with `value`.
    public static func startsWith(_ type: String, _ value: String) -> SearchFilter {
        .substrings(type, initial: Array(value.utf8), any: [], final: nil)
    }

    /// `(type>=value)`.
    public static func atLeast(_ type: String, _ value: String) -> SearchFilter {
        .greaterOrEqual(type, Array(value.utf8))
    }

    /// `(type<=value)`.
    public static func atMost(_ type: String, _ value: String) -> SearchFilter {
        .lessOrEqual(type, Array(value.utf8))
    }

    /// `(objectClass=name)`.
    public static func objectClass(_ name: String) -> SearchFilter {
        equals("objectClass", name)
    }

    /// `(&…)` of `parts`, or the part itself when there is only one.
    public static func all(_ parts: [SearchFilter]) -> SearchFilter {
        parts.count == 1 ? parts[0] : .and(parts)
    }
}

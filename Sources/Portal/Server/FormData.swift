import Foundation

/// The fields of an `application/x-www-form-urlencoded` body or a query
/// string (WHATWG URL §5.1): `+` is a space, `%XX` a byte of UTF-8.
public struct FormData: Sendable {
    public private(set) var fields: [String: String] = [:]
    /// Every value of each field, in order (check boxes send one per ticked box).
    private var repeated: [String: [String]] = [:]

    public init(_ encoded: String) {
        for pair in encoded.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]) else { continue }
            let value = parts.count > 1 ? Self.decode(parts[1]) ?? "" : ""
            if fields[name] == nil { fields[name] = value }
            repeated[name, default: []].append(value)
        }
    }

    /// Every non-empty value of a repeated field.
    public func all(_ name: String) -> [String] {
        (repeated[name] ?? []).filter { !$0.isEmpty }
    }

    public subscript(_ name: String) -> String? { fields[name] }

    /// The field's value trimmed of surrounding spaces, nil when empty.
    public func text(_ name: String) -> String? {
        guard let value = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    private static func decode(_ part: Substring) -> String? {
        String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// A value for a query string.
    public static func encode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}

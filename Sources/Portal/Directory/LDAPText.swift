import LDAPProtocol

/// Escaping for values the portal puts into DNs (RFC 4514 §2.4) and search
/// filters (RFC 4515 §3), and reading a DN's first value.
enum LDAPText {
    static func escapeRDNValue(_ value: String) -> String { DistinguishedName.escape(value) }

    static func escapeFilterValue(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case "*": out += "\\2a"
            case "(": out += "\\28"
            case ")": out += "\\29"
            case "\\": out += "\\5c"
            case "\0": out += "\\00"
            default: out.append(character)
            }
        }
        return out
    }

    /// `(type=value*)`.
    static func startsWith(_ type: String, _ value: String) -> String { "(\(type)=\(escapeFilterValue(value))*)" }
    static func equals(_ type: String, _ value: String) -> String { "(\(type)=\(escapeFilterValue(value)))" }
    static func and(_ parts: [String]) -> String { parts.count == 1 ? parts[0] : "(&\(parts.joined()))" }

    /// The DN without its first RDN ("" for a single RDN).
    static func parent(of dn: String) -> String { DistinguishedName.parent(of: dn) }

    /// The value of the first RDN ("T1" for "cn=T1,cn=CONV…"), unescaped.
    static func leafValue(of dn: String) -> String { DistinguishedName.leafValue(of: dn) }

    /// Whether `dn` ends with `suffix` (case-insensitive, as the demo's names are ASCII).
    static func isWithin(_ dn: String, _ suffix: String) -> Bool {
        dn.lowercased() == suffix.lowercased() || dn.lowercased().hasSuffix("," + suffix.lowercased())
    }
}

/// Escaping for values the portal puts into DNs (RFC 4514 §2.4) and search
/// filters (RFC 4515 §3), and reading a DN's first value.
enum LDAPText {
    static func escapeRDNValue(_ value: String) -> String {
        var out = ""
        let characters = Array(value)
        for (index, character) in characters.enumerated() {
            switch character {
            case ",", "+", "\"", "\\", "<", ">", ";", "=":
                out += "\\\(character)"
            case "#" where index == 0, " " where index == 0 || index == characters.count - 1:
                out += "\\\(character)"
            case "\0":
                out += "\\00"
            default:
                out.append(character)
            }
        }
        return out
    }

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
    static func parent(of dn: String) -> String {
        var escaped = false
        for index in dn.indices {
            let character = dn[index]
            if escaped { escaped = false; continue }
            if character == "\\" { escaped = true; continue }
            if character == "," { return String(dn[dn.index(after: index)...]) }
        }
        return ""
    }

    /// The value of the first RDN ("T1" for "cn=T1,cn=CONV…"), unescaped for simple values.
    static func leafValue(of dn: String) -> String {
        let parentLength = parent(of: dn).count
        var leaf = String(dn.prefix(dn.count - parentLength))
        if leaf.hasSuffix(",") { leaf.removeLast() }
        guard let equals = leaf.firstIndex(of: "=") else { return leaf }
        var value = ""
        var escaped = false
        for character in leaf[leaf.index(after: equals)...] {
            if escaped || character != "\\" {
                value.append(character)
                escaped = false
            } else {
                escaped = true
            }
        }
        return value
    }

    /// Whether `dn` ends with `suffix` (case-insensitive, as the demo's names are ASCII).
    static func isWithin(_ dn: String, _ suffix: String) -> Bool {
        dn.lowercased() == suffix.lowercased() || dn.lowercased().hasSuffix("," + suffix.lowercased())
    }
}

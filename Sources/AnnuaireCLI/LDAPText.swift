/// Escaping for values put into DNs (RFC 4514) and filters (RFC 4515), and
/// the small DN manipulations the commands need.
enum LDAPText {
    /// A value safe inside an RDN.
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

    /// A value safe inside a filter assertion (UTF-8 text passes as is).
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
        let leaf = dn.prefix(dn.count - parent(of: dn).count).trimmingSuffix(",")
        guard let equals = leaf.firstIndex(of: "=") else { return String(leaf) }
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
}

extension Substring {
    fileprivate func trimmingSuffix(_ suffix: Character) -> Substring {
        last == suffix ? dropLast() : self
    }
}

extension LDAPText {
    /// `(&…)` of the parts (the part itself when alone).
    static func and(_ parts: [String]) -> String {
        parts.count == 1 ? parts[0] : "(&" + parts.joined() + ")"
    }

    /// `(type=value*)`: the portal's "starts with" filters.
    static func startsWith(_ type: String, _ value: String) -> String {
        "(\(type)=\(escapeFilterValue(value))*)"
    }

    /// `(type=value)`.
    static func equals(_ type: String, _ value: String) -> String {
        "(\(type)=\(escapeFilterValue(value)))"
    }
}

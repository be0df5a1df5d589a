/// DN strings worked on as text, keeping the caller's spelling (RFC 4514):
/// escaping one attribute value (§2.4), and cutting RDNs off a DN or reading
/// its leaf value (§3) without being fooled by escaped separators.
///
/// `DistinguishedName` compares and normalises; these helpers serve where
/// the DN must stay as it was written (slapd keeps the spelling of stored
/// DNs, and people read them).
extension DistinguishedName {
    /// One attribute value escaped for an RDN (RFC 4514 §2.4): `"` `+` `,` `;`
    /// `<` `>` `\` everywhere, `#` or a space first, a space last, NUL as `\00`.
    /// Everything else, UTF-8 included, is written as is.
    public static func escape(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        let scalars = Array(value.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            switch scalar {
            case "\"", "+", ",", ";", "<", ">", "\\":
                out.append("\\")
                out.unicodeScalars.append(scalar)
            case "#" where index == 0, " " where index == 0 || index == scalars.count - 1:
                out.append("\\")
                out.unicodeScalars.append(scalar)
            case "\0":
                out.append("\\00")
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `dn` without its leaf RDN, as spelt in `dn` ("" for one RDN or none).
    public static func parent(of dn: String) -> String {
        ancestor(of: dn, levels: 1)
    }

    /// `dn` without its `levels` leaf-most RDNs, as spelt in `dn` ("" past the
    /// root); unescaped spaces around what is left are dropped (RFC 4514 §3
    /// allows none there, OpenLDAP ignores them).
    public static func ancestor(of dn: String, levels: Int) -> String {
        guard levels > 0 else { return dn }
        let bytes = Array(dn.utf8)
        var remaining = levels
        var escaped = false
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if escaped {
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == UInt8(ascii: ",") || byte == UInt8(ascii: ";") {
                remaining -= 1
                if remaining == 0 { return trimmingUnescapedSpaces(bytes[index...]) }
            }
        }
        return ""
    }

    /// The text without its leading spaces and its trailing unescaped ones.
    private static func trimmingUnescapedSpaces(_ bytes: ArraySlice<UInt8>) -> String {
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, bytes[start] == UInt8(ascii: " ") { start += 1 }
        while end > start, bytes[end - 1] == UInt8(ascii: " ") {
            // A space after an odd run of backslashes is escaped: it stays.
            var backslashes = 0
            while end - 2 - backslashes >= start, bytes[end - 2 - backslashes] == UInt8(ascii: "\\") { backslashes += 1 }
            if backslashes % 2 == 1 { break }
            end -= 1
        }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// The value of `dn`'s leaf RDN (its first pair when multi-valued) with its
    /// escapes undone, in its original case: "Smith, John" for
    /// `cn=Smith\, John,o=x`, "T1" for `cn=T1,cn=CONV,…`. A text with no `=`
    /// comes back as it is.
    public static func leafValue(of dn: String) -> String {
        let bytes = Array(dn.utf8)
        guard let equals = bytes.firstIndex(of: UInt8(ascii: "=")) else { return dn }
        var value: [UInt8] = []
        var index = equals + 1
        // Unescaped spaces around the value are not part of it (RFC 4514 §3).
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
        var keptEnd = 0
        scan: while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { break scan }
                if index + 1 < bytes.count, let high = hexValue(bytes[index]), let low = hexValue(bytes[index + 1]) {
                    value.append(high << 4 | low)
                    index += 2
                } else {
                    value.append(bytes[index])
                    index += 1
                }
                keptEnd = value.count
            case UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "+"):
                break scan
            default:
                value.append(byte)
                if byte != UInt8(ascii: " ") { keptEnd = value.count }
            }
        }
        return String(decoding: value[..<keptEnd], as: UTF8.self)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }
}

import Foundation
import LDAPProtocol

/// Writes entries as LDIF (RFC 2849): values that are not safe strings are
/// base64-encoded (`attr:: …`).
enum LDIFWriter {
    static func entry(_ entry: SearchResultEntry) -> String {
        var out = line("dn", Array(entry.objectName.utf8))
        for attribute in entry.attributes {
            for value in attribute.values { out += line(attribute.type, value) }
        }
        return out + "\n"
    }

    private static func line(_ type: String, _ value: [UInt8]) -> String {
        isSafe(value) ? "\(type): \(String(decoding: value, as: UTF8.self))\n" : "\(type):: \(Data(value).base64EncodedString())\n"
    }

    /// RFC 2849 SAFE-STRING: ASCII without NUL, LF, CR; not starting with space, ':' or '<'; not ending with space.
    private static func isSafe(_ value: [UInt8]) -> Bool {
        guard let first = value.first else { return true }
        if first == UInt8(ascii: " ") || first == UInt8(ascii: ":") || first == UInt8(ascii: "<") { return false }
        if value.last == UInt8(ascii: " ") { return false }
        return value.allSatisfy { $0 > 0 && $0 < 0x80 && $0 != 0x0A && $0 != 0x0D }
    }
}

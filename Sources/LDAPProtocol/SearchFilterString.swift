/// Renders a `SearchFilter` as the string representation of RFC 4515 §3,
/// the form libldap's `ldap_search_ext` takes.
///
/// ```
/// filter         = LPAREN filtercomp RPAREN
/// item           = simple / present / substring / extensible
/// valueencoding  = 0*(normal / escaped)
/// escaped        = ESC HEX HEX
/// ```
/// Every assertion value octet outside printable ASCII, and `*`, `(`, `)`,
/// `\`, is written `\XX`, so no value can change the filter's structure
/// (RFC 4515 §3 allows escaping any octet). Attribute descriptions and
/// matching rule ids are checked against RFC 4512 §2.5 before they are
/// written, for the same reason.
extension SearchFilter {
    public func rfc4515String() throws -> String {
        var out = ""
        out.reserveCapacity(64)
        try write(into: &out)
        return out
    }

    private func write(into out: inout String) throws {
        out.append("(")
        switch self {
        case .and(let filters):
            out.append("&")
            for filter in filters { try filter.write(into: &out) }
        case .or(let filters):
            out.append("|")
            for filter in filters { try filter.write(into: &out) }
        case .not(let filter):
            out.append("!")
            try filter.write(into: &out)
        case .equality(let type, let value): try Self.item(type, "=", value, into: &out)
        case .greaterOrEqual(let type, let value): try Self.item(type, ">=", value, into: &out)
        case .lessOrEqual(let type, let value): try Self.item(type, "<=", value, into: &out)
        case .approx(let type, let value): try Self.item(type, "~=", value, into: &out)
        case .present(let type):
            out.append(try AttributeDescription.validated(type))
            out.append("=*")
        case .substrings(let type, let initial, let anyParts, let final):
            out.append(try AttributeDescription.validated(type))
            out.append("=")
            if let initial { Self.escape(initial, into: &out) }
            out.append("*")
            for part in anyParts {
                Self.escape(part, into: &out)
                out.append("*")
            }
            if let final { Self.escape(final, into: &out) }
        case .extensible(let rule, let type, let value, let dnAttributes):
            if let type { out.append(try AttributeDescription.validated(type)) }
            if dnAttributes { out.append(":dn") }
            if let rule {
                out.append(":")
                out.append(try AttributeDescription.validatedOID(rule))
            }
            out.append(":=")
            Self.escape(value, into: &out)
        }
        out.append(")")
    }

    private static func item(_ type: String, _ op: String, _ value: [UInt8], into out: inout String) throws {
        out.append(try AttributeDescription.validated(type))
        out.append(op)
        escape(value, into: &out)
    }

    private static let hex: [Character] = Array("0123456789abcdef")

    /// RFC 4515 `valueencoding`: printable ASCII except `*()\` as is, every other octet `\XX`.
    static func escape(_ value: [UInt8], into out: inout String) {
        for byte in value {
            switch byte {
            case 0x2A, 0x28, 0x29, 0x5C, 0..<0x20, 0x7F...:
                out.append("\\")
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            default:
                out.append(Character(Unicode.Scalar(byte)))
            }
        }
    }
}

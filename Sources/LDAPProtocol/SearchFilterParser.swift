/// Reads the string form of a search filter (RFC 4515 §3), the inverse of
/// `rfc4515String()`: for the filters Annuaire writes as text and for stores
/// that evaluate filters themselves.
///
/// ```
/// filter         = LPAREN filtercomp RPAREN
/// filtercomp     = and / or / not / item
/// and            = AMPERSAND filterlist
/// or             = VERTBAR filterlist
/// not            = EXCLAMATION filter
/// item           = simple / present / substring / extensible
/// simple         = attr filtertype assertionvalue
/// filtertype     = equal / approx / greaterorequal / lessorequal
/// extensible     = ( attr [dnattrs] [matchingrule] COLON EQUALS assertionvalue )
///                  / ( [dnattrs] matchingrule COLON EQUALS assertionvalue )
/// present        = attr EQUALS ASTERISK
/// substring      = attr EQUALS [initial] any [final]
/// valueencoding  = 0*(normal / escaped)   ; escaped = ESC HEX HEX
/// ```
extension SearchFilter {
    public init(rfc4515 text: String) throws {
        var parser = SearchFilterParser(bytes: Array(text.utf8))
        self = try parser.filter()
        guard parser.index == parser.bytes.count else { throw parser.failure("text after the filter") }
    }
}

private struct SearchFilterParser {
    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    func failure(_ reason: String) -> LDAPOperationError {
        LDAPOperationError(.protocolError, "invalid filter \"\(String(decoding: bytes.prefix(200), as: UTF8.self))\": \(reason) at \(index)")
    }

    mutating func expect(_ byte: UInt8) throws {
        guard index < bytes.count, bytes[index] == byte else { throw failure("expected \"\(Character(UnicodeScalar(byte)))\"") }
        index += 1
    }

    mutating func filter() throws -> SearchFilter {
        try expect(UInt8(ascii: "("))
        guard index < bytes.count else { throw failure("unterminated filter") }
        let result: SearchFilter
        switch bytes[index] {
        case UInt8(ascii: "&"):
            index += 1
            result = .and(try list())
        case UInt8(ascii: "|"):
            index += 1
            result = .or(try list())
        case UInt8(ascii: "!"):
            index += 1
            result = .not(try filter())
        default:
            result = try item()
        }
        try expect(UInt8(ascii: ")"))
        return result
    }

    mutating func list() throws -> [SearchFilter] {
        var filters: [SearchFilter] = []
        while index < bytes.count, bytes[index] == UInt8(ascii: "(") { filters.append(try filter()) }
        return filters
    }

    mutating func item() throws -> SearchFilter {
        let start = index
        while index < bytes.count, !"=~<>:()".utf8.contains(bytes[index]) { index += 1 }
        let attribute = String(decoding: bytes[start..<index], as: UTF8.self)
        guard index < bytes.count else { throw failure("unterminated item") }
        switch bytes[index] {
        case UInt8(ascii: "~"), UInt8(ascii: ">"), UInt8(ascii: "<"):
            let kind = bytes[index]
            index += 1
            try expect(UInt8(ascii: "="))
            let value = try plainValue()
            switch kind {
            case UInt8(ascii: "~"): return .approx(attribute, value)
            case UInt8(ascii: ">"): return .greaterOrEqual(attribute, value)
            default: return .lessOrEqual(attribute, value)
            }
        case UInt8(ascii: ":"):
            return try extensible(attribute.isEmpty ? nil : attribute)
        case UInt8(ascii: "="):
            index += 1
            guard !attribute.isEmpty else { throw failure("an item needs an attribute") }
            let parts = try substringValue()
            if parts.count == 1 { return .equality(attribute, parts[0]) }
            if parts.count == 2 && parts[0].isEmpty && parts[1].isEmpty { return .present(attribute) }
            let initial = parts.first.flatMap { $0.isEmpty ? nil : $0 }
            let final = parts.last.flatMap { $0.isEmpty ? nil : $0 }
            return .substrings(attribute, initial: initial, any: Array(parts.dropFirst().dropLast()).filter { !$0.isEmpty }, final: final)
        default:
            throw failure("expected a filter type")
        }
    }

    mutating func extensible(_ attribute: String?) throws -> SearchFilter {
        var dnAttributes = false
        var rule: String?
        while index < bytes.count, bytes[index] == UInt8(ascii: ":") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "=") {
                index += 1
                guard attribute != nil || rule != nil else { throw failure("an extensible match needs an attribute or a matching rule") }
                return .extensible(matchingRule: rule, type: attribute, value: try plainValue(), dnAttributes: dnAttributes)
            }
            let start = index
            while index < bytes.count, bytes[index] != UInt8(ascii: ":") { index += 1 }
            let word = String(decoding: bytes[start..<index], as: UTF8.self)
            if word.lowercased() == "dn" && rule == nil && !dnAttributes { dnAttributes = true } else { rule = word }
        }
        throw failure("an extensible match ends with \":=\" and a value")
    }

    /// A value up to the closing parenthesis, with `\XX` escapes; a bare `*` is not allowed.
    mutating func plainValue() throws -> [UInt8] {
        let parts = try substringValue()
        guard parts.count == 1 else { throw failure("unexpected \"*\" in a value") }
        return parts[0]
    }

    /// The value split at its unescaped asterisks.
    mutating func substringValue() throws -> [[UInt8]] {
        var parts: [[UInt8]] = [[]]
        while index < bytes.count, bytes[index] != UInt8(ascii: ")") {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "*"):
                parts.append([])
            case UInt8(ascii: "("):
                throw failure("an unescaped \"(\" in a value")
            case UInt8(ascii: "\\"):
                guard index + 1 < bytes.count, let high = Self.hex(bytes[index]), let low = Self.hex(bytes[index + 1]) else {
                    throw failure("\"\\\" must be followed by two hexadecimal digits")
                }
                parts[parts.count - 1].append(high << 4 | low)
                index += 2
            default:
                parts[parts.count - 1].append(byte)
            }
        }
        return parts
    }

    static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }
}

/// A distinguished name parsed from its string form (RFC 4514 §3), for
/// comparing DNs the way the directory does: attribute types and the values
/// of the naming attributes used here (all case-insensitive directory
/// strings) compare without regard to case, and spaces around separators are
/// not significant.
///
/// ```
/// distinguishedName = [ relativeDistinguishedName *( COMMA relativeDistinguishedName ) ]
/// relativeDistinguishedName = attributeTypeAndValue *( PLUS attributeTypeAndValue )
/// attributeTypeAndValue = attributeType EQUALS attributeValue
/// ```
public struct DistinguishedName: Hashable, Sendable, CustomStringConvertible {
    /// One attribute-value pair of an RDN, normalised.
    public struct AttributeValue: Hashable, Sendable {
        public var type: String
        public var value: String
    }

    /// The RDNs, leaf first; each RDN's pairs sorted (multi-valued RDNs are unordered).
    public private(set) var rdns: [[AttributeValue]]

    public init(_ string: String) throws {
        rdns = []
        var current: [AttributeValue] = []
        var type: [UInt8] = []
        var value: [UInt8] = []
        var inValue = false
        var bytes = Array(string.utf8)[...]
        // Spaces trimmed around a value are unescaped ones only: escaped bytes
        // lie between `firstEscaped` and `escapedEnd`.
        var firstEscaped = Int.max
        var escapedEnd = 0

        // Byte-level work only: this runs for every DN value the rules compare (hot).
        func finishPair() throws {
            var typeStart = 0
            var typeEnd = type.count
            while typeStart < typeEnd, type[typeStart] == 0x20 { typeStart += 1 }
            while typeEnd > typeStart, type[typeEnd - 1] == 0x20 { typeEnd -= 1 }
            let typeBytes = type[typeStart..<typeEnd]
            guard AttributeDescription.isValidOID(utf8: typeBytes) else {
                let shown = String(decoding: typeBytes.prefix(40), as: UTF8.self)
                throw LDAPOperationError(.invalidDNSyntax, "invalid DN \"\(string.prefix(200))\": bad attribute type \"\(shown)\"")
            }
            var end = value.count
            while end > escapedEnd, value[end - 1] == 0x20 { end -= 1 }
            var start = 0
            while start < end, start < firstEscaped, value[start] == 0x20 { start += 1 }
            current.append(AttributeValue(type: Self.lowercased(typeBytes), value: Self.lowercased(value[start..<end])))
            type.removeAll(keepingCapacity: true)
            value.removeAll(keepingCapacity: true)
            inValue = false
            firstEscaped = Int.max
            escapedEnd = 0
        }

        if string.utf8.allSatisfy({ $0 == 0x20 }) { return }
        while let byte = bytes.popFirst() {
            if !inValue {
                if byte == UInt8(ascii: "=") { inValue = true } else { type.append(byte) }
                continue
            }
            switch byte {
            case UInt8(ascii: "\\"):
                guard let next = bytes.popFirst() else {
                    throw LDAPOperationError(.invalidDNSyntax, "invalid DN \"\(string.prefix(200))\": a backslash ends it")
                }
                firstEscaped = min(firstEscaped, value.count)
                if let high = Self.hex(next), let low = bytes.first.flatMap(Self.hex) {
                    bytes.removeFirst()
                    value.append(high << 4 | low)
                } else {
                    value.append(next)
                }
                escapedEnd = value.count
            case UInt8(ascii: ","), UInt8(ascii: ";"):
                try finishPair()
                rdns.append(current.count > 1 ? current.sorted { ($0.type, $0.value) < ($1.type, $1.value) } : current)
                current = []
            case UInt8(ascii: "+"):
                try finishPair()
            default:
                value.append(byte)
            }
        }
        guard inValue else {
            throw LDAPOperationError(.invalidDNSyntax, "invalid DN \"\(string.prefix(200))\": expected type=value")
        }
        try finishPair()
        rdns.append(current.count > 1 ? current.sorted { ($0.type, $0.value) < ($1.type, $1.value) } : current)
    }

    /// Lower case: byte by byte for ASCII, Unicode's rules otherwise.
    private static func lowercased(_ bytes: ArraySlice<UInt8>) -> String {
        if bytes.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
        }
        return String(decoding: bytes, as: UTF8.self).lowercased()
    }

    private static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }

    /// Removes the `count` leaf-most RDNs (climbs towards the root).
    public mutating func dropLeading(_ count: Int) {
        rdns.removeFirst(min(count, rdns.count))
    }

    /// The leaf RDN's value for `type` (e.g. the `cn` of `cn=T1,…`).
    public func leafValue(_ type: String) -> String? {
        rdns.first?.first { $0.type == type.lowercased() }?.value
    }

    /// Whether this DN is `other` or lies below it.
    public func isWithin(_ other: DistinguishedName) -> Bool {
        rdns.count >= other.rdns.count && Array(rdns.suffix(other.rdns.count)) == other.rdns
    }

    /// Whether this DN lies strictly below `other`.
    public func isBelow(_ other: DistinguishedName) -> Bool {
        rdns.count > other.rdns.count && isWithin(other)
    }

    /// The normalised form (lower-case, no insignificant spaces) in the string
    /// representation of RFC 4514 §2: each value escaped as §2.4 asks, so that
    /// it parses back to this DN (slapd gets it, access scopes are built from it).
    public var description: String {
        rdns.map { rdn in rdn.map { "\($0.type)=\(Self.escape($0.value))" }.joined(separator: "+") }.joined(separator: ",")
    }
}

extension String {
    func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while scalars.first == " " { scalars.removeFirst() }
        while scalars.last == " " { scalars.removeLast() }
        return String(scalars)
    }
}

/// Syntax checks for attribute descriptions and OIDs (RFC 4512 §1.4, §2.5).
///
/// ```
/// attributedescription = attributetype options
/// attributetype = oid
/// options = *( SEMI option )
/// option = 1*keychar
/// oid = descr / numericoid
/// descr = keystring          ; leadkeychar *keychar
/// numericoid = number 1*( DOT number )
/// ```
public enum AttributeDescription {
    /// Returns `description` if it is a syntactically valid attribute description.
    public static func validated(_ description: String) throws -> String {
        guard isValid(description) else {
            throw LDAPOperationError(
                .protocolError,
                "invalid attribute description \"\(description.prefix(64))\": expected a name such as \"cn\" or an OID, with optional \";options\""
            )
        }
        return description
    }

    /// Returns `oid` if it is a valid descr or numericoid (a matching rule id, say).
    public static func validatedOID(_ oid: String) throws -> String {
        guard isValidOID(Substring(oid)) else {
            throw LDAPOperationError(.protocolError, "invalid matching rule id \"\(oid.prefix(64))\"")
        }
        return oid
    }

    /// Checked for every attribute a request names: one pass over the UTF-8 bytes, no copies.
    public static func isValid(_ description: String) -> Bool {
        let bytes = description.utf8
        let typeEnd = bytes.firstIndex(of: UInt8(ascii: ";")) ?? bytes.endIndex
        guard isValidOID(utf8: bytes[..<typeEnd]) else { return false }
        // Each option: one or more keychars, separated by ";" (an empty option, "cn;" or "cn;;x", is invalid).
        var optionLength = 0
        var index = typeEnd
        while index != bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: ";") {
                if index != typeEnd && optionLength == 0 { return false }
                optionLength = 0
            } else if isKeyChar(byte) {
                optionLength += 1
            } else {
                return false
            }
            index = bytes.index(after: index)
        }
        return typeEnd == bytes.endIndex || optionLength > 0
    }

    /// An attribute type (descr or numericoid, no options) given as UTF-8 bytes.
    static func isValidOID<Bytes: Collection<UInt8>>(utf8 oid: Bytes) -> Bool {
        guard let first = oid.first else { return false }
        if isAlpha(first) { return oid.allSatisfy { isKeyChar($0) } }
        var digitsInNumber = 0
        var numbers = 1
        var leadingZero = false
        for byte in oid {
            if byte == UInt8(ascii: ".") {
                guard digitsInNumber > 0 else { return false }
                numbers += 1
                digitsInNumber = 0
                leadingZero = false
            } else if byte >= 0x30 && byte <= 0x39 {
                if leadingZero { return false }
                if digitsInNumber == 0 && byte == 0x30 { leadingZero = true }
                digitsInNumber += 1
            } else {
                return false
            }
        }
        return digitsInNumber > 0 && numbers >= 2
    }

    static func isValidOID(_ oid: Substring) -> Bool {
        guard let first = oid.utf8.first else { return false }
        if isAlpha(first) {
            return oid.utf8.allSatisfy { isKeyChar($0) }
        }
        let numbers = oid.split(separator: ".", omittingEmptySubsequences: false)
        return numbers.count >= 2 && numbers.allSatisfy { number in
            guard !number.isEmpty, number.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
            return number.count == 1 || number.utf8.first != 0x30
        }
    }

    private static func isAlpha(_ c: UInt8) -> Bool { (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) }
    private static func isKeyChar(_ c: UInt8) -> Bool { isAlpha(c) || (c >= 0x30 && c <= 0x39) || c == 0x2D }
}

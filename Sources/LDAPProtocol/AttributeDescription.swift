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

    public static func isValid(_ description: String) -> Bool {
        let parts = description.split(separator: ";", omittingEmptySubsequences: false)
        guard let type = parts.first, isValidOID(type) else { return false }
        return parts.dropFirst().allSatisfy { option in
            !option.isEmpty && option.utf8.allSatisfy { isKeyChar($0) }
        }
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

import SwiftASN1

/// The value of the pre-read and post-read response controls (RFC 4527 §3.1,
/// §3.2): the entry, BER-encoded as a SearchResultEntry.
///
/// ```
/// controlValue: SearchResultEntry
/// ```
public enum ReadEntryControl {
    public static func entry(from value: [UInt8]) throws -> SearchResultEntry {
        try SearchResultEntry(node: try BER.parse(value))
    }

    public static func encode(_ entry: SearchResultEntry) throws -> [UInt8] {
        var coder = DER.Serializer()
        entry.serialize(into: &coder)
        return coder.serializedBytes
    }
}

/// The request value of the pre-read and post-read controls (RFC 4527 §3.1).
///
/// ```
/// controlValue: AttributeSelection  -- SEQUENCE OF LDAPString
/// ```
public enum ReadEntryRequest {
    public static func value(attributes: [String]) -> [UInt8] {
        var coder = DER.Serializer()
        coder.appendConstructedNode(identifier: .sequence) { coder in
            for attribute in attributes { coder.appendString(attribute) }
        }
        return coder.serializedBytes
    }

    public static func attributes(from value: [UInt8]?) throws -> [String] {
        guard let value else { return [] }
        do {
            return try BER.parse(value).children(.sequence, field: "AttributeSelection").map { try $0.utf8String(field: "attribute") }
        } catch {
            throw LDAPOperationError(.protocolError, "malformed pre-/post-read control value: expected a SEQUENCE OF attribute names (RFC 4527 §3.1)")
        }
    }
}

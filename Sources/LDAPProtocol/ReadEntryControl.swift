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

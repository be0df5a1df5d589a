public import NIOCore

/// Reads the attribute types of a SearchResultEntry as slapd sent it, without decoding the entry
/// (RFC 4511 §4.5.2):
///
/// ```
/// SearchResultEntry ::= [APPLICATION 4] SEQUENCE {
///      objectName      LDAPDN,
///      attributes      PartialAttributeList }
/// PartialAttributeList ::= SEQUENCE OF partialAttribute PartialAttribute
/// PartialAttribute ::= SEQUENCE { type AttributeDescription, vals SET OF value AttributeValue }
/// ```
///
/// The fast path forwards an entry untouched unless one of its types must be hidden (R8); then
/// it decodes, redacts and re-encodes that entry only.
public enum RawEntryReading {
    /// Whether any attribute type of the entry in `pdu` satisfies `test`; nil when the entry is malformed.
    public static func anyAttributeType(in pdu: ByteBuffer, envelope: LDAPEnvelope, _ test: (String) -> Bool) -> Bool? {
        let view = pdu.readableBytesView
        var index = view.startIndex + envelope.operationOffset
        guard let entry = element(view, &index, tag: 0x64) else { return nil }
        index = entry.lowerBound
        guard element(view, &index, tag: 0x04) != nil, let list = element(view, &index, tag: 0x30) else { return nil }
        index = list.lowerBound
        while index < list.upperBound {
            guard let attribute = element(view, &index, tag: 0x30) else { return nil }
            var inner = attribute.lowerBound
            guard let type = element(view, &inner, tag: 0x04) else { return nil }
            if test(String(decoding: view[type], as: UTF8.self)) { return true }
        }
        return false
    }

    /// The content range of the element at `index` with tag `tag`, moving `index` past the element.
    private static func element(_ view: ByteBufferView, _ index: inout Int, tag: UInt8) -> Range<Int>? {
        guard index + 2 <= view.endIndex, view[index] == tag else { return nil }
        var cursor = index + 1
        let first = view[cursor]
        cursor += 1
        var length = 0
        if first < 0x80 {
            length = Int(first)
        } else {
            let count = Int(first & 0x7F)
            guard count >= 1, count <= 4, cursor + count <= view.endIndex else { return nil }
            for _ in 0..<count {
                length = length << 8 | Int(view[cursor])
                cursor += 1
            }
        }
        guard cursor + length <= view.endIndex else { return nil }
        index = cursor + length
        return cursor..<(cursor + length)
    }
}

import DirectoryBackend
import LDAPProtocol
import NIOCore
import Testing

/// Issue #18: slapd's answers are forwarded with only the message ID rewritten (RFC 4511 §4.2.1);
/// an entry is decoded only when one of its attribute types must be hidden (R8).
@Suite("LDAP envelope rewriting")
struct LDAPEnvelopeTests {
    static let entry = LDAPMessage(
        messageID: 7,
        operation: .searchResultEntry(SearchResultEntry(
            objectName: "uid=u1,ou=people,dc=annuaire,dc=local",
            attributes: [
                PartialAttribute(type: "cn", values: [Array("Une Personne".utf8)]),
                PartialAttribute(type: "mail", values: [Array(String(repeating: "m", count: 300).utf8)]),
            ])),
        controls: [LDAPControl(oid: "1.2.3.4", value: [0x04, 0x00])])

    @Test("the message ID is replaced, for IDs of 1 to 4 octets and maxInt, and nothing else changes",
          arguments: [Int32(1), 127, 128, 255, 32_768, 8_388_608, Int32.max])
    func rewrite(id: Int32) throws {
        for original in [Self.entry, LDAPMessage(messageID: Int(Int32.max), operation: .searchResultDone(.success))] {
            let pdu = ByteBuffer(bytes: try original.serializedBytes())
            let envelope = try #require(LDAPEnvelope(pdu: pdu))
            #expect(envelope.messageID == Int32(original.messageID))
            // Appended behind what the client's buffer already holds, as `ClientRawWriter` writes it.
            var out = ByteBuffer(bytes: [0xAA, 0xBB])
            envelope.write(pdu, messageID: id, into: &out)
            #expect(out.readBytes(length: 2) == [0xAA, 0xBB])
            let decoded = try LDAPMessage(berEncoded: Array(out.readableBytesView)[...])
            var expected = original
            expected.messageID = Int(id)
            #expect(decoded.messageID == Int(id))
            #expect(try decoded.serializedBytes() == expected.serializedBytes())
        }
    }

    @Test("a PDU that is not an LDAPMessage has no envelope")
    func malformed() {
        #expect(LDAPEnvelope(pdu: ByteBuffer(bytes: [0x30, 0x03, 0x04, 0x01, 0x00])) == nil)
        #expect(LDAPEnvelope(pdu: ByteBuffer(bytes: [0x30, 0x03, 0x02, 0x01, 0x05])) == nil)
        // A negative message ID.
        #expect(LDAPEnvelope(pdu: ByteBuffer(bytes: [0x30, 0x05, 0x02, 0x01, 0xFF, 0x42, 0x00])) == nil)
    }

    @Test("the attribute types of a raw entry are read without decoding it")
    func attributeTypes() throws {
        let pdu = ByteBuffer(bytes: try Self.entry.serializedBytes())
        let envelope = try #require(LDAPEnvelope(pdu: pdu))
        var seen: [String] = []
        #expect(RawEntryReading.anyAttributeType(in: pdu, envelope: envelope) { seen.append($0); return false } == false)
        #expect(seen == ["cn", "mail"])
        #expect(RawEntryReading.anyAttributeType(in: pdu, envelope: envelope) { $0 == "mail" } == true)
        var truncated = pdu
        truncated.moveWriterIndex(to: pdu.writerIndex - 40)
        #expect(RawEntryReading.anyAttributeType(in: truncated, envelope: envelope) { _ in false } == nil)
    }
}

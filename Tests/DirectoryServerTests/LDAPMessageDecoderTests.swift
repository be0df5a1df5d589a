import DirectoryServer
import LDAPProtocol
import NIOCore
import NIOEmbedded
import NIOTestUtils
import Testing

/// The NIO decoder checked with swift-nio's `ByteToMessageDecoderVerifier`:
/// the same messages whether bytes arrive one by one or in batches.
@Suite("LDAPMessageDecoder")
struct LDAPMessageDecoderTests {
    @Test("decodes byte by byte and in batches (ByteToMessageDecoderVerifier)")
    func verifier() throws {
        let messages = [
            LDAPMessage(messageID: 1, operation: .searchRequest(SearchRequest(baseObject: "", scope: .baseObject))),
            LDAPMessage(messageID: 2, operation: .bindRequest(BindRequest(name: "uid=a,dc=x", authentication: .simple(password: Array("p".utf8))))),
            LDAPMessage(messageID: 300, operation: .searchRequest(SearchRequest(
                baseObject: "dc=annuaire,dc=local", scope: .wholeSubtree,
                filter: .and([.substrings("sn", initial: Array("DUP".utf8), any: [], final: nil), .present("mail")]),
                attributes: ["cn", "mail"])), controls: [LDAPControl(oid: "1.2.840.113556.1.4.319", criticality: false, value: [0x30, 0x05, 0x02, 0x01, 0x05, 0x04, 0x00])]),
            LDAPMessage(messageID: 70000, operation: .unbindRequest),
        ]
        var input = ByteBuffer()
        for message in messages { input.writeBytes(try message.serializedBytes()) }
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: [(input, messages)],
            decoderFactory: { LDAPMessageDecoder(maximumPDUSize: 1024) }
        )
    }

    @Test("a PDU larger than the maximum is refused before it is buffered")
    func maximumSize() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(LDAPMessageDecoder(maximumPDUSize: 100)))
        var header = ByteBuffer()
        header.writeBytes([0x30, 0x82, 0x10, 0x00])  // 4,096 bytes announced
        #expect(throws: LDAPDecodingError.self) { try channel.writeInbound(header) }
        _ = try? channel.finish()
    }
}

import LDAPProtocol
import Testing

@Suite("PDUFramer")
struct PDUFramerTests {
    static let maximum = 1 << 20

    @Test(
        "every strict prefix of a real PDU needs more data and the whole PDU is complete",
        arguments: [
            ("search (short length)", CapturedPDU.searchAndFilter),
            ("search with every filter kind (0x81 length)", CapturedPDU.searchEveryFilterKind),
            ("unbind", CapturedPDU.unbind),
        ]
    )
    func everyCutPoint(name: String, pdu: [UInt8]) throws {
        for length in 0..<pdu.count {
            #expect(
                try PDUFramer.frame(pdu.prefix(length), maximumPDUSize: Self.maximum) == .needMoreData,
                "\(name) cut to \(length) bytes"
            )
        }
        #expect(try PDUFramer.frame(pdu, maximumPDUSize: Self.maximum) == .complete(length: pdu.count))
    }

    @Test("a complete PDU followed by part or all of a second one frames only the first")
    func trailingBytesOfSecondPDU() throws {
        let first = CapturedPDU.simpleBind
        let second = CapturedPDU.whoAmIAfterBind
        for extra in 1...second.count {
            let stream = first + second.prefix(extra)
            #expect(try PDUFramer.frame(stream, maximumPDUSize: Self.maximum) == .complete(length: first.count))
        }
        let both = first + second
        let rest = both.dropFirst(first.count)
        // An ArraySlice whose startIndex is not 0: the framer must use the slice's own indices.
        #expect(try PDUFramer.frame(rest, maximumPDUSize: Self.maximum) == .complete(length: second.count))
        #expect(try PDUFramer.frame(rest.prefix(5), maximumPDUSize: Self.maximum) == .needMoreData)
        let decoded = try LDAPMessage(berEncoded: rest)
        #expect(decoded.messageID == 2)
    }

    @Test("the 0x81 long form: header, cut points and completion")
    func longForm81() throws {
        let pdu = CapturedPDU.searchEveryFilterKind  // 30 81 9e …
        #expect(Array(pdu.prefix(3)) == [0x30, 0x81, 0x9e])
        #expect(try PDUFramer.frame(pdu.prefix(2), maximumPDUSize: Self.maximum) == .needMoreData)
        #expect(try PDUFramer.frame(pdu.prefix(3), maximumPDUSize: Self.maximum) == .needMoreData)
        #expect(try PDUFramer.frame(pdu, maximumPDUSize: Self.maximum) == .complete(length: 3 + 0x9e))
    }

    @Test("the 0x82 long form frames 4 header bytes plus 256 content bytes")
    func longForm82() throws {
        let pdu: [UInt8] = [0x30, 0x82, 0x01, 0x00] + [UInt8](repeating: 0x04, count: 256)
        #expect(try PDUFramer.frame(pdu.prefix(3), maximumPDUSize: Self.maximum) == .needMoreData)
        #expect(try PDUFramer.frame(pdu.prefix(259), maximumPDUSize: Self.maximum) == .needMoreData)
        #expect(try PDUFramer.frame(pdu, maximumPDUSize: Self.maximum) == .complete(length: 260))
        #expect(try PDUFramer.frame(pdu + [0x30], maximumPDUSize: Self.maximum) == .complete(length: 260))
    }

    @Test("the 0x84 long form used by some clients frames a short PDU")
    func longForm84() throws {
        // An unbind written with a four-octet length, as Windows' wldap32 writes lengths.
        let pdu: [UInt8] = [0x30, 0x84, 0x00, 0x00, 0x00, 0x05, 0x02, 0x01, 0x03, 0x42, 0x00]
        for length in 0..<pdu.count {
            #expect(try PDUFramer.frame(pdu.prefix(length), maximumPDUSize: Self.maximum) == .needMoreData)
        }
        #expect(try PDUFramer.frame(pdu, maximumPDUSize: Self.maximum) == .complete(length: 11))
        #expect(try PDUFramer.frame(pdu + CapturedPDU.unbind, maximumPDUSize: Self.maximum) == .complete(length: 11))
        #expect(try LDAPMessage(berEncoded: pdu[...]) == LDAPMessage(messageID: 3, operation: .unbindRequest))
    }

    @Test("the indefinite length form is rejected")
    func indefiniteLength() {
        #expect(throws: LDAPDecodingError.self) {
            try PDUFramer.frame([0x30, 0x80], maximumPDUSize: Self.maximum)
        }
        #expect(throws: LDAPDecodingError.self) {
            try PDUFramer.frame([0x30, 0x80, 0x02, 0x01, 0x03, 0x42, 0x00, 0x00, 0x00], maximumPDUSize: Self.maximum)
        }
    }

    @Test("a PDU larger than the maximum is rejected as soon as its length is known")
    func overMaximum() throws {
        // 4 + 4096 bytes against a maximum of 4099: only the header is there.
        #expect(throws: LDAPDecodingError.self) {
            try PDUFramer.frame([0x30, 0x82, 0x10, 0x00], maximumPDUSize: 4099)
        }
        #expect(try PDUFramer.frame([0x30, 0x82, 0x10, 0x00], maximumPDUSize: 4100) == .needMoreData)
        #expect(throws: LDAPDecodingError.self) {
            try PDUFramer.frame([0x30, 0x84, 0xff, 0xff, 0xff, 0xff], maximumPDUSize: Self.maximum)
        }
        // Short form: the whole PDU counts, header included.
        #expect(throws: LDAPDecodingError.self) {
            try PDUFramer.frame(CapturedPDU.unbind, maximumPDUSize: CapturedPDU.unbind.count - 1)
        }
        #expect(
            try PDUFramer.frame(CapturedPDU.unbind, maximumPDUSize: CapturedPDU.unbind.count)
                == .complete(length: CapturedPDU.unbind.count)
        )
    }

    @Test("a length field of more than four octets is rejected", arguments: [0x85, 0x88, 0xff] as [UInt8])
    func longLengthField(lengthByte: UInt8) {
        #expect(throws: LDAPDecodingError.self) {
            try PDUFramer.frame([0x30, lengthByte, 0x00, 0x00, 0x00, 0x00, 0x05], maximumPDUSize: Self.maximum)
        }
        #expect(throws: LDAPDecodingError.self) {
            try PDUFramer.frame([0x30, lengthByte], maximumPDUSize: Self.maximum)
        }
    }

    @Test("a first byte other than 0x30 is rejected at once", arguments: [0x00, 0x31, 0x10, 0x60, 0xa0, 0x16, 0xff] as [UInt8])
    func notASequence(first: UInt8) {
        #expect(throws: LDAPDecodingError.self) {
            try PDUFramer.frame([first], maximumPDUSize: Self.maximum)
        }
        // A TLS ClientHello on the plain LDAP port, say.
        #expect(throws: LDAPDecodingError.self) {
            try PDUFramer.frame([first, 0x03, 0x01, 0x00, 0x05], maximumPDUSize: Self.maximum)
        }
    }

    @Test("an empty buffer and a lone tag need more data")
    func emptyAndTagOnly() throws {
        #expect(try PDUFramer.frame([UInt8](), maximumPDUSize: Self.maximum) == .needMoreData)
        #expect(try PDUFramer.frame([0x30], maximumPDUSize: Self.maximum) == .needMoreData)
        #expect(try PDUFramer.frame([0x30, 0x00], maximumPDUSize: Self.maximum) == .complete(length: 2))
    }
}

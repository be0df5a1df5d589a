import LDAPProtocol
import Testing

/// Responses the server writes, against bytes worked out by hand from RFC 4511
/// (definite minimal lengths, ENUMERATED result codes, IMPLICIT tags).
@Suite("Encoding responses")
struct ResponseEncodingTests {
    @Test("a successful BindResponse is the 14 bytes every LDAP client expects")
    func bindResponseSuccess() throws {
        let message = LDAPMessage(messageID: 1, operation: .bindResponse(BindResponse(result: .success)))
        let expected: [UInt8] = [
            0x30, 0x0c, 0x02, 0x01, 0x01, 0x61, 0x07, 0x0a, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00,
        ]
        let bytes = try message.serializedBytes()
        #expect(bytes == expected, "\(hex(bytes))")
        #expect(try decodeMessage(bytes) == message)
    }

    @Test("a SASL BindResponse carries serverSaslCreds as [7]")
    func bindResponseWithSaslCredentials() throws {
        let message = LDAPMessage(
            messageID: 1,
            operation: .bindResponse(BindResponse(result: LDAPResult(code: .saslBindInProgress), serverSaslCredentials: [0x01, 0x02]))
        )
        let expected: [UInt8] = [
            0x30, 0x10, 0x02, 0x01, 0x01, 0x61, 0x0b, 0x0a, 0x01, 0x0e, 0x04, 0x00, 0x04, 0x00, 0x87, 0x02,
            0x01, 0x02,
        ]
        #expect(try message.serializedBytes() == expected)
    }

    @Test("BindResponse serverSaslCreds survive a decode")
    func bindResponseSaslCredentialsRoundTrip() throws {
        let message = LDAPMessage(
            messageID: 1,
            operation: .bindResponse(BindResponse(result: LDAPResult(code: .saslBindInProgress), serverSaslCredentials: [0x01, 0x02]))
        )
        let decoded = try decodeMessage(try message.serializedBytes())
        #expect(decoded == message)
    }

    static let entry = SearchResultEntry(
        objectName: "uid=jdoe,dc=example,dc=org",
        attributes: [
            PartialAttribute(type: "sn", strings: ["Doe"]),
            PartialAttribute(type: "objectClass", strings: ["top", "person", "inetOrgPerson"]),
            PartialAttribute(type: "mail", strings: ["z@example.org", "a@example.org"]),
            PartialAttribute(type: "cn", strings: ["John Doe"]),
        ]
    )

    @Test("a SearchResultEntry keeps its attribute order and the order of each attribute's values")
    func searchResultEntry() throws {
        let message = LDAPMessage(messageID: 2, operation: .searchResultEntry(Self.entry))
        // Lengths above 127 use the 0x81 long form; "z@..." stays before "a@..." (no DER SET OF sorting).
        let expected: [UInt8] = [
            0x30, 0x81, 0x98, 0x02, 0x01, 0x02, 0x64, 0x81, 0x92, 0x04, 0x1a, 0x75, 0x69, 0x64, 0x3d, 0x6a,
            0x64, 0x6f, 0x65, 0x2c, 0x64, 0x63, 0x3d, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x2c, 0x64,
            0x63, 0x3d, 0x6f, 0x72, 0x67, 0x30, 0x74, 0x30, 0x0b, 0x04, 0x02, 0x73, 0x6e, 0x31, 0x05, 0x04,
            0x03, 0x44, 0x6f, 0x65, 0x30, 0x2b, 0x04, 0x0b, 0x6f, 0x62, 0x6a, 0x65, 0x63, 0x74, 0x43, 0x6c,
            0x61, 0x73, 0x73, 0x31, 0x1c, 0x04, 0x03, 0x74, 0x6f, 0x70, 0x04, 0x06, 0x70, 0x65, 0x72, 0x73,
            0x6f, 0x6e, 0x04, 0x0d, 0x69, 0x6e, 0x65, 0x74, 0x4f, 0x72, 0x67, 0x50, 0x65, 0x72, 0x73, 0x6f,
            0x6e, 0x30, 0x26, 0x04, 0x04, 0x6d, 0x61, 0x69, 0x6c, 0x31, 0x1e, 0x04, 0x0d, 0x7a, 0x40, 0x65,
            0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x2e, 0x6f, 0x72, 0x67, 0x04, 0x0d, 0x61, 0x40, 0x65, 0x78,
            0x61, 0x6d, 0x70, 0x6c, 0x65, 0x2e, 0x6f, 0x72, 0x67, 0x30, 0x10, 0x04, 0x02, 0x63, 0x6e, 0x31,
            0x0a, 0x04, 0x08, 0x4a, 0x6f, 0x68, 0x6e, 0x20, 0x44, 0x6f, 0x65,
        ]
        let bytes = try message.serializedBytes()
        #expect(bytes == expected, "\(hex(bytes))")
        let decoded = try decodeMessage(bytes)
        #expect(decoded == message)
        guard case .searchResultEntry(let entry) = decoded.operation else {
            Issue.record("decoded \(decoded.operation.name)")
            return
        }
        #expect(entry.attributes.map(\.type) == ["sn", "objectClass", "mail", "cn"])
        #expect(entry.values(of: "MAIL") == ["z@example.org".bytes, "a@example.org".bytes])
        #expect(entry.values(of: "objectclass").count == 3)
        #expect(entry.values(of: "givenName").isEmpty)
    }

    @Test("a typesOnly SearchResultEntry writes every attribute with an empty value set")
    func searchResultEntryTypesOnly() throws {
        var entry = SearchResultEntry(
            objectName: "uid=jdoe,dc=example,dc=org",
            attributes: [PartialAttribute(type: "sn", strings: ["Doe"]), PartialAttribute(type: "mail", strings: ["a@b"])]
        )
        entry.typesOnly = true
        let bytes = try LDAPMessage(messageID: 2, operation: .searchResultEntry(entry)).serializedBytes()
        let expected: [UInt8] = [
            0x30, 0x35, 0x02, 0x01, 0x02, 0x64, 0x30, 0x04, 0x1a, 0x75, 0x69, 0x64, 0x3d, 0x6a, 0x64, 0x6f,
            0x65, 0x2c, 0x64, 0x63, 0x3d, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x2c, 0x64, 0x63, 0x3d,
            0x6f, 0x72, 0x67, 0x30, 0x12, 0x30, 0x06, 0x04, 0x02, 0x73, 0x6e, 0x31, 0x00, 0x30, 0x08, 0x04,
            0x04, 0x6d, 0x61, 0x69, 0x6c, 0x31, 0x00,
        ]
        #expect(bytes == expected, "\(hex(bytes))")
    }

    @Test("SearchResultDone carries the result code, matched DN and diagnostic message")
    func searchResultDone() throws {
        let result = LDAPResult(code: .noSuchObject, matchedDN: "dc=example,dc=org", diagnosticMessage: "no such entry: uid=x")
        let message = LDAPMessage(messageID: 2, operation: .searchResultDone(result))
        let expected: [UInt8] = [
            0x30, 0x31, 0x02, 0x01, 0x02, 0x65, 0x2c, 0x0a, 0x01, 0x20, 0x04, 0x11, 0x64, 0x63, 0x3d, 0x65,
            0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x2c, 0x64, 0x63, 0x3d, 0x6f, 0x72, 0x67, 0x04, 0x14, 0x6e,
            0x6f, 0x20, 0x73, 0x75, 0x63, 0x68, 0x20, 0x65, 0x6e, 0x74, 0x72, 0x79, 0x3a, 0x20, 0x75, 0x69,
            0x64, 0x3d, 0x78,
        ]
        let bytes = try message.serializedBytes()
        #expect(bytes == expected, "\(hex(bytes))")
        #expect(try decodeMessage(bytes) == message)
    }

    @Test("an LDAPResult referral is written as [3] SEQUENCE OF URI")
    func resultWithReferral() throws {
        let result = LDAPResult(code: .referral, referral: ["ldap://other.example.org/"])
        let message = LDAPMessage(messageID: 4, operation: .searchResultDone(result))
        let expected: [UInt8] = [
            0x30, 0x29, 0x02, 0x01, 0x04, 0x65, 0x24, 0x0a, 0x01, 0x0a, 0x04, 0x00, 0x04, 0x00, 0xa3, 0x1b,
            0x04, 0x19, 0x6c, 0x64, 0x61, 0x70, 0x3a, 0x2f, 0x2f, 0x6f, 0x74, 0x68, 0x65, 0x72, 0x2e, 0x65,
            0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x2e, 0x6f, 0x72, 0x67, 0x2f,
        ]
        #expect(try message.serializedBytes() == expected)
    }

    @Test("an LDAPResult referral survives a decode")
    func resultReferralRoundTrip() throws {
        let result = LDAPResult(code: .referral, referral: ["ldap://other.example.org/"])
        let message = LDAPMessage(messageID: 4, operation: .searchResultDone(result))
        let decoded = try decodeMessage(try message.serializedBytes())
        #expect(decoded == message)
    }

    @Test("an ExtendedResponse carries responseName [10] and responseValue [11]")
    func extendedResponse() throws {
        let response = ExtendedResponse(
            result: .success, name: "1.3.6.1.4.1.4203.1.11.3", value: "dn:cn=admin,dc=example,dc=org".bytes
        )
        let message = LDAPMessage(messageID: 3, operation: .extendedResponse(response))
        let expected: [UInt8] = [
            0x30, 0x44, 0x02, 0x01, 0x03, 0x78, 0x3f, 0x0a, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00, 0x8a, 0x17,
            0x31, 0x2e, 0x33, 0x2e, 0x36, 0x2e, 0x31, 0x2e, 0x34, 0x2e, 0x31, 0x2e, 0x34, 0x32, 0x30, 0x33,
            0x2e, 0x31, 0x2e, 0x31, 0x31, 0x2e, 0x33, 0x8b, 0x1d, 0x64, 0x6e, 0x3a, 0x63, 0x6e, 0x3d, 0x61,
            0x64, 0x6d, 0x69, 0x6e, 0x2c, 0x64, 0x63, 0x3d, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x2c,
            0x64, 0x63, 0x3d, 0x6f, 0x72, 0x67,
        ]
        let bytes = try message.serializedBytes()
        #expect(bytes == expected, "\(hex(bytes))")
        #expect(try decodeMessage(bytes) == message)
    }

    @Test("the Notice of Disconnection has messageID 0 and the OID 1.3.6.1.4.1.1466.20036")
    func noticeOfDisconnection() throws {
        let notice = ExtendedResponse.noticeOfDisconnection(.protocolError, "malformed PDU")
        #expect(notice.name == "1.3.6.1.4.1.1466.20036")
        #expect(notice.value == nil)
        let message = LDAPMessage(messageID: 0, operation: .extendedResponse(notice))
        let expected: [UInt8] = [
            0x30, 0x31, 0x02, 0x01, 0x00, 0x78, 0x2c, 0x0a, 0x01, 0x02, 0x04, 0x00, 0x04, 0x0d, 0x6d, 0x61,
            0x6c, 0x66, 0x6f, 0x72, 0x6d, 0x65, 0x64, 0x20, 0x50, 0x44, 0x55, 0x8a, 0x16, 0x31, 0x2e, 0x33,
            0x2e, 0x36, 0x2e, 0x31, 0x2e, 0x34, 0x2e, 0x31, 0x2e, 0x31, 0x34, 0x36, 0x36, 0x2e, 0x32, 0x30,
            0x30, 0x33, 0x36,
        ]
        let bytes = try message.serializedBytes()
        #expect(bytes == expected, "\(hex(bytes))")
        let decoded = try decodeMessage(bytes)
        #expect(decoded.messageID == 0)
        #expect(decoded.operation == .extendedResponse(notice))
    }

    @Test("a SearchResultReference lists its URIs in order")
    func searchResultReference() throws {
        let message = LDAPMessage(
            messageID: 5, operation: .searchResultReference(["ldap://a.example.org/dc=a", "ldap://b.example.org/dc=b"])
        )
        let expected: [UInt8] = [
            0x30, 0x3b, 0x02, 0x01, 0x05, 0x73, 0x36, 0x04, 0x19, 0x6c, 0x64, 0x61, 0x70, 0x3a, 0x2f, 0x2f,
            0x61, 0x2e, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x2e, 0x6f, 0x72, 0x67, 0x2f, 0x64, 0x63,
            0x3d, 0x61, 0x04, 0x19, 0x6c, 0x64, 0x61, 0x70, 0x3a, 0x2f, 0x2f, 0x62, 0x2e, 0x65, 0x78, 0x61,
            0x6d, 0x70, 0x6c, 0x65, 0x2e, 0x6f, 0x72, 0x67, 0x2f, 0x64, 0x63, 0x3d, 0x62,
        ]
        let bytes = try message.serializedBytes()
        #expect(bytes == expected, "\(hex(bytes))")
        #expect(try decodeMessage(bytes) == message)
    }

    @Test("Modify, Delete and Compare responses use their own APPLICATION tags")
    func otherResponses() throws {
        let modify = LDAPMessage(
            messageID: 6,
            operation: .modifyResponse(LDAPResult(code: .insufficientAccessRights, diagnosticMessage: "insufficient access"))
        )
        let modifyBytes: [UInt8] = [
            0x30, 0x1f, 0x02, 0x01, 0x06, 0x67, 0x1a, 0x0a, 0x01, 0x32, 0x04, 0x00, 0x04, 0x13, 0x69, 0x6e,
            0x73, 0x75, 0x66, 0x66, 0x69, 0x63, 0x69, 0x65, 0x6e, 0x74, 0x20, 0x61, 0x63, 0x63, 0x65, 0x73,
            0x73,
        ]
        #expect(try modify.serializedBytes() == modifyBytes)
        #expect(try decodeMessage(modifyBytes) == modify)

        let delete = LDAPMessage(messageID: 7, operation: .deleteResponse(LDAPResult(code: .notAllowedOnNonLeaf)))
        let deleteBytes: [UInt8] = [
            0x30, 0x0c, 0x02, 0x01, 0x07, 0x6b, 0x07, 0x0a, 0x01, 0x42, 0x04, 0x00, 0x04, 0x00,
        ]
        #expect(try delete.serializedBytes() == deleteBytes)
        #expect(try decodeMessage(deleteBytes) == delete)

        let compare = LDAPMessage(messageID: 8, operation: .compareResponse(LDAPResult(code: .compareTrue)))
        let compareBytes: [UInt8] = [
            0x30, 0x0c, 0x02, 0x01, 0x08, 0x6f, 0x07, 0x0a, 0x01, 0x06, 0x04, 0x00, 0x04, 0x00,
        ]
        #expect(try compare.serializedBytes() == compareBytes)
        #expect(try decodeMessage(compareBytes) == compare)
    }

    @Test("the UnbindRequest and AbandonRequest encode like OpenLDAP's")
    func unbindAndAbandon() throws {
        #expect(try LDAPMessage(messageID: 3, operation: .unbindRequest).serializedBytes() == CapturedPDU.unbind)
        let abandon = LDAPMessage(messageID: 7, operation: .abandonRequest(5))
        #expect(try abandon.serializedBytes() == [0x30, 0x06, 0x02, 0x01, 0x07, 0x50, 0x01, 0x05])
        #expect(try decodeMessage([0x30, 0x06, 0x02, 0x01, 0x07, 0x50, 0x01, 0x05]) == abandon)
    }

    @Test("encoding a request the server never sends throws an LDAPOperationError")
    func unsupportedEncoding() throws {
        let message = LDAPMessage(messageID: 1, operation: .addRequest(AddRequest(entry: "cn=x", attributes: [])))
        let error = #expect(throws: LDAPOperationError.self) { try message.serializedBytes() }
        #expect(error?.code == .other)
    }

    @Test("each request maps to the response type that answers it")
    func responseForRequest() throws {
        let result = LDAPResult(code: .busy)
        let search = try #require(try decodeMessage(CapturedPDU.searchAndFilter).operation.response(with: result))
        #expect(search == .searchResultDone(result))
        let bind = try #require(try decodeMessage(CapturedPDU.simpleBind).operation.response(with: result))
        #expect(bind == .bindResponse(BindResponse(result: result)))
        let exop = try #require(try decodeMessage(CapturedPDU.whoAmIExop).operation.response(with: result))
        #expect(exop == .extendedResponse(ExtendedResponse(result: result)))
        #expect(try decodeMessage(CapturedPDU.delete).operation.response(with: result) == .deleteResponse(result))
        #expect(try decodeMessage(CapturedPDU.modify).operation.response(with: result) == .modifyResponse(result))
        #expect(try decodeMessage(CapturedPDU.add).operation.response(with: result) == .addResponse(result))
        #expect(try decodeMessage(CapturedPDU.compare).operation.response(with: result) == .compareResponse(result))
        #expect(try decodeMessage(CapturedPDU.modifyDN).operation.response(with: result) == .modifyDNResponse(result))
        #expect(ProtocolOperation.unbindRequest.response(with: result) == nil)
        #expect(ProtocolOperation.abandonRequest(1).response(with: result) == nil)
    }
}

public import SwiftASN1

/// The `protocolOp` CHOICE of an LDAPMessage (RFC 4511 §4.1.1 and §4.2–§4.13).
///
/// Requests decode (the server's side) and the responses encode; the few
/// requests our own tests and tools send also encode, and the responses they
/// read also decode.
public enum ProtocolOperation: Hashable, Sendable {
    case bindRequest(BindRequest)                 // [APPLICATION 0]
    case bindResponse(BindResponse)               // [APPLICATION 1]
    case unbindRequest                            // [APPLICATION 2] NULL
    case searchRequest(SearchRequest)             // [APPLICATION 3]
    case searchResultEntry(SearchResultEntry)     // [APPLICATION 4]
    case searchResultDone(LDAPResult)             // [APPLICATION 5]
    case modifyRequest(ModifyRequest)             // [APPLICATION 6]
    case modifyResponse(LDAPResult)               // [APPLICATION 7]
    case addRequest(AddRequest)                   // [APPLICATION 8]
    case addResponse(LDAPResult)                  // [APPLICATION 9]
    case deleteRequest(String)                    // [APPLICATION 10] LDAPDN
    case deleteResponse(LDAPResult)               // [APPLICATION 11]
    case modifyDNRequest(ModifyDNRequest)         // [APPLICATION 12]
    case modifyDNResponse(LDAPResult)             // [APPLICATION 13]
    case compareRequest(CompareRequest)           // [APPLICATION 14]
    case compareResponse(LDAPResult)              // [APPLICATION 15]
    case abandonRequest(Int)                      // [APPLICATION 16] MessageID
    case searchResultReference([String])          // [APPLICATION 19] SEQUENCE OF URI
    case extendedRequest(ExtendedRequest)         // [APPLICATION 23]
    case extendedResponse(ExtendedResponse)       // [APPLICATION 24]

    public init(node: ASN1Node) throws {
        guard node.identifier.tagClass == .application else {
            throw LDAPDecodingError("protocolOp: unexpected tag \(node.identifier)")
        }
        switch node.identifier.tagNumber {
        case 0: self = .bindRequest(try BindRequest(node: node))
        case 1: self = .bindResponse(try BindResponse(node: node))
        case 2:
            guard try node.primitiveBytes(.application(2), field: "UnbindRequest").isEmpty else {
                throw LDAPDecodingError("UnbindRequest: a NULL has no content")
            }
            self = .unbindRequest
        case 3: self = .searchRequest(try SearchRequest(node: node))
        case 4: self = .searchResultEntry(try SearchResultEntry(node: node))
        case 5: self = .searchResultDone(try Self.result(node, 5))
        case 6: self = .modifyRequest(try ModifyRequest(node: node))
        case 7: self = .modifyResponse(try Self.result(node, 7))
        case 8: self = .addRequest(try AddRequest(node: node))
        case 9: self = .addResponse(try Self.result(node, 9))
        case 10: self = .deleteRequest(try node.utf8String(.application(10), field: "DelRequest"))
        case 11: self = .deleteResponse(try Self.result(node, 11))
        case 12: self = .modifyDNRequest(try ModifyDNRequest(node: node))
        case 13: self = .modifyDNResponse(try Self.result(node, 13))
        case 14: self = .compareRequest(try CompareRequest(node: node))
        case 15: self = .compareResponse(try Self.result(node, 15))
        case 16: self = .abandonRequest(try node.integer(.application(16), field: "AbandonRequest"))
        case 19:
            self = .searchResultReference(
                try node.children(.application(19), field: "SearchResultReference").map { try $0.utf8String(field: "URI") }
            )
        case 23: self = .extendedRequest(try ExtendedRequest(node: node))
        case 24: self = .extendedResponse(try ExtendedResponse(node: node))
        default:
            throw LDAPDecodingError("protocolOp: unknown operation [APPLICATION \(node.identifier.tagNumber)]")
        }
    }

    private static func result(_ node: ASN1Node, _ tag: UInt) throws -> LDAPResult {
        var children = try node.children(.application(tag), field: "LDAPResult").makeIterator()
        return try LDAPResult(components: &children)
    }

    public func serialize(into coder: inout DER.Serializer) throws {
        switch self {
        case .bindRequest(let request): try request.serialize(into: &coder)
        case .bindResponse(let response): try response.serialize(into: &coder)
        case .unbindRequest: coder.appendOctets([], identifier: .application(2))
        case .searchRequest(let request): try request.serialize(into: &coder)
        case .searchResultEntry(let entry): entry.serialize(into: &coder)
        case .searchResultDone(let result): try Self.serialize(result, 5, into: &coder)
        case .modifyResponse(let result): try Self.serialize(result, 7, into: &coder)
        case .addResponse(let result): try Self.serialize(result, 9, into: &coder)
        case .deleteRequest(let dn): coder.appendString(dn, identifier: .application(10))
        case .deleteResponse(let result): try Self.serialize(result, 11, into: &coder)
        case .modifyDNResponse(let result): try Self.serialize(result, 13, into: &coder)
        case .compareResponse(let result): try Self.serialize(result, 15, into: &coder)
        case .abandonRequest(let id): try coder.appendInteger(id, identifier: .application(16))
        case .searchResultReference(let uris):
            coder.appendConstructedNode(identifier: .application(19)) { coder in
                for uri in uris { coder.appendString(uri) }
            }
        case .extendedRequest(let request): request.serialize(into: &coder)
        case .extendedResponse(let response): try response.serialize(into: &coder)
        case .modifyRequest, .addRequest, .modifyDNRequest, .compareRequest:
            throw LDAPOperationError(.other, "encoding \(name) is not implemented")
        }
    }

    private static func serialize(_ result: LDAPResult, _ tag: UInt, into coder: inout DER.Serializer) throws {
        try coder.appendConstructedNode(identifier: .application(tag)) { try result.serializeComponents(into: &$0) }
    }

    /// The response that carries `result` for this request, or nil for the
    /// requests that have none (Unbind, Abandon: RFC 4511 §4.3, §4.11).
    public func response(with result: LDAPResult) -> ProtocolOperation? {
        switch self {
        case .bindRequest: .bindResponse(BindResponse(result: result))
        case .searchRequest: .searchResultDone(result)
        case .modifyRequest: .modifyResponse(result)
        case .addRequest: .addResponse(result)
        case .deleteRequest: .deleteResponse(result)
        case .modifyDNRequest: .modifyDNResponse(result)
        case .compareRequest: .compareResponse(result)
        case .extendedRequest: .extendedResponse(ExtendedResponse(result: result))
        default: nil
        }
    }

    /// The operation's name as RFC 4511 spells it, for logs and diagnostics.
    public var name: String {
        switch self {
        case .bindRequest: "BindRequest"
        case .bindResponse: "BindResponse"
        case .unbindRequest: "UnbindRequest"
        case .searchRequest: "SearchRequest"
        case .searchResultEntry: "SearchResultEntry"
        case .searchResultDone: "SearchResultDone"
        case .modifyRequest: "ModifyRequest"
        case .modifyResponse: "ModifyResponse"
        case .addRequest: "AddRequest"
        case .addResponse: "AddResponse"
        case .deleteRequest: "DelRequest"
        case .deleteResponse: "DelResponse"
        case .modifyDNRequest: "ModifyDNRequest"
        case .modifyDNResponse: "ModifyDNResponse"
        case .compareRequest: "CompareRequest"
        case .compareResponse: "CompareResponse"
        case .abandonRequest: "AbandonRequest"
        case .searchResultReference: "SearchResultReference"
        case .extendedRequest: "ExtendedRequest"
        case .extendedResponse: "ExtendedResponse"
        }
    }
}

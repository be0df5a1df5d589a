public import SwiftASN1

/// An Extended request (RFC 4511 §4.12).
///
/// ```
/// ExtendedRequest ::= [APPLICATION 23] SEQUENCE {
///      requestName      [0] LDAPOID,
///      requestValue     [1] OCTET STRING OPTIONAL }
/// ```
public struct ExtendedRequest: Hashable, Sendable {
    public static let tag = ASN1Identifier.application(23)
    public var name: String
    public var value: [UInt8]?

    public init(name: String, value: [UInt8]? = nil) {
        self.name = name
        self.value = value
    }

    public init(node: ASN1Node) throws {
        var children = try node.children(Self.tag, field: "ExtendedRequest").makeIterator()
        name = try children.required("requestName").utf8String(.context(0), field: "requestName")
        value = try children.next().map { Array(try $0.primitiveBytes(.context(1), field: "requestValue")) }
        guard children.next() == nil else { throw LDAPDecodingError("ExtendedRequest: trailing element") }
    }

    public func serialize(into coder: inout DER.Serializer) {
        coder.appendConstructedNode(identifier: Self.tag) { coder in
            coder.appendString(name, identifier: .context(0))
            if let value { coder.appendOctets(value, identifier: .context(1)) }
        }
    }
}

/// An Extended response (RFC 4511 §4.12), also the Notice of Disconnection (§4.4.1).
///
/// ```
/// ExtendedResponse ::= [APPLICATION 24] SEQUENCE {
///      COMPONENTS OF LDAPResult,
///      responseName     [10] LDAPOID OPTIONAL,
///      responseValue    [11] OCTET STRING OPTIONAL }
/// ```
public struct ExtendedResponse: Hashable, Sendable {
    public static let tag = ASN1Identifier.application(24)
    /// RFC 4511 §4.4.1.
    public static let noticeOfDisconnectionOID = "1.3.6.1.4.1.1466.20036"

    public var result: LDAPResult
    public var name: String?
    public var value: [UInt8]?

    public init(result: LDAPResult, name: String? = nil, value: [UInt8]? = nil) {
        self.result = result
        self.name = name
        self.value = value
    }

    public init(node: ASN1Node) throws {
        var children = try node.children(Self.tag, field: "ExtendedResponse").makeIterator()
        var next: ASN1Node?
        result = try LDAPResult(components: &children, next: &next)
        name = nil
        value = nil
        while let child = next {
            next = children.next()
            switch child.identifier {
            case .context(10): name = try child.utf8String(.context(10), field: "responseName")
            case .context(11): value = Array(try child.primitiveBytes(.context(11), field: "responseValue"))
            default: throw LDAPDecodingError("ExtendedResponse: unexpected element \(child.identifier)")
            }
        }
    }

    public func serialize(into coder: inout DER.Serializer) throws {
        try coder.appendConstructedNode(identifier: Self.tag) { coder in
            try result.serializeComponents(into: &coder)
            if let name { coder.appendString(name, identifier: .context(10)) }
            if let value { coder.appendOctets(value, identifier: .context(11)) }
        }
    }

    /// The unsolicited notification sent before the server closes a session (RFC 4511 §4.4.1).
    public static func noticeOfDisconnection(_ code: LDAPResultCode, _ diagnostic: String) -> ExtendedResponse {
        ExtendedResponse(
            result: LDAPResult(code: code, diagnosticMessage: diagnostic),
            name: noticeOfDisconnectionOID
        )
    }
}

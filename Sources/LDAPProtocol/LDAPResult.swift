public import SwiftASN1

/// The result carried by every response (RFC 4511 §4.1.9).
///
/// ```
/// LDAPResult ::= SEQUENCE {
///      resultCode         ENUMERATED { ... },
///      matchedDN          LDAPDN,
///      diagnosticMessage  LDAPString,
///      referral           [3] Referral OPTIONAL }
/// Referral ::= SEQUENCE SIZE (1..MAX) OF uri URI
/// ```
public struct LDAPResult: Hashable, Sendable {
    public var code: LDAPResultCode
    public var matchedDN: String
    public var diagnosticMessage: String
    public var referral: [String]

    public init(code: LDAPResultCode, matchedDN: String = "", diagnosticMessage: String = "", referral: [String] = []) {
        self.code = code
        self.matchedDN = matchedDN
        self.diagnosticMessage = diagnosticMessage
        self.referral = referral
    }

    public static let success = LDAPResult(code: .success)

    /// Writes the LDAPResult components (COMPONENTS OF) into an enclosing node.
    public func serializeComponents(into coder: inout DER.Serializer) throws {
        try coder.appendInteger(code.rawValue, identifier: .enumerated)
        coder.appendString(matchedDN)
        coder.appendString(diagnosticMessage)
        if !referral.isEmpty {
            coder.appendConstructedNode(identifier: .context(3)) { coder in
                for uri in referral { coder.appendString(uri) }
            }
        }
    }

    /// Reads the LDAPResult components from a response's children.
    /// Reads the LDAPResult components; returns the element after them, if any
    /// (a response's own fields), having consumed an optional `[3] Referral`.
    public init(components iterator: inout ASN1NodeCollection.Iterator) throws {
        var next: ASN1Node?
        try self.init(components: &iterator, next: &next)
        guard next == nil else { throw LDAPDecodingError("LDAPResult: unexpected element \(next?.identifier.description ?? "")") }
    }

    /// Reads the components, leaving the first element that follows them in `next`.
    public init(components iterator: inout ASN1NodeCollection.Iterator, next: inout ASN1Node?) throws {
        code = LDAPResultCode(try iterator.required("resultCode").integer(.enumerated, field: "resultCode"))
        matchedDN = try iterator.required("matchedDN").utf8String(field: "matchedDN")
        diagnosticMessage = try iterator.required("diagnosticMessage").utf8String(field: "diagnosticMessage")
        referral = []
        next = iterator.next()
        if let node = next, node.identifier == .context(3) {
            referral = try node.children(.context(3), field: "referral").map { try $0.utf8String(field: "referral URI") }
            next = iterator.next()
        }
    }
}

public import SwiftASN1

/// A Bind request (RFC 4511 §4.2).
///
/// ```
/// BindRequest ::= [APPLICATION 0] SEQUENCE {
///      version                 INTEGER (1 ..  127),
///      name                    LDAPDN,
///      authentication          AuthenticationChoice }
/// AuthenticationChoice ::= CHOICE {
///      simple                  [0] OCTET STRING,
///      sasl                    [3] SaslCredentials,
///      ...  }
/// SaslCredentials ::= SEQUENCE {
///      mechanism               LDAPString,
///      credentials             OCTET STRING OPTIONAL }
/// ```
/// `description` never shows the password.
public struct BindRequest: Hashable, Sendable, CustomStringConvertible {
    public enum Authentication: Hashable, Sendable {
        case simple(password: [UInt8])
        case sasl(mechanism: String, credentials: [UInt8]?)
    }

    public static let tag = ASN1Identifier.application(0)

    public var version: Int
    public var name: String
    public var authentication: Authentication

    public init(version: Int = 3, name: String, authentication: Authentication) {
        self.version = version
        self.name = name
        self.authentication = authentication
    }

    public init(node: ASN1Node) throws {
        var children = try node.children(Self.tag, field: "BindRequest").makeIterator()
        version = try children.required("version").integer(field: "version")
        name = try children.required("name").utf8String(field: "name")
        let auth = try children.required("authentication")
        switch auth.identifier {
        case .context(0):
            authentication = .simple(password: Array(try auth.primitiveBytes(.context(0), field: "simple")))
        case .context(3):
            var sasl = try auth.children(.context(3), field: "sasl").makeIterator()
            let mechanism = try sasl.required("mechanism").utf8String(field: "mechanism")
            let credentials = try sasl.next().map { Array(try $0.primitiveBytes(.octetString, field: "credentials")) }
            authentication = .sasl(mechanism: mechanism, credentials: credentials)
        default:
            throw LDAPDecodingError("BindRequest: unknown authentication choice \(auth.identifier)")
        }
        guard children.next() == nil else { throw LDAPDecodingError("BindRequest: trailing element") }
    }

    public func serialize(into coder: inout DER.Serializer) throws {
        try coder.appendConstructedNode(identifier: Self.tag) { coder in
            try coder.appendInteger(version)
            coder.appendString(name)
            switch authentication {
            case .simple(let password):
                coder.appendOctets(password, identifier: .context(0))
            case .sasl(let mechanism, let credentials):
                coder.appendConstructedNode(identifier: .context(3)) { coder in
                    coder.appendString(mechanism)
                    if let credentials { coder.appendOctets(credentials) }
                }
            }
        }
    }

    public var description: String {
        switch authentication {
        case .simple(let password):
            "BindRequest(v\(version), \"\(name)\", simple, password: \(password.isEmpty ? "empty" : "<redacted>"))"
        case .sasl(let mechanism, _):
            "BindRequest(v\(version), \"\(name)\", SASL \(mechanism))"
        }
    }
}

/// A Bind response (RFC 4511 §4.2.2).
///
/// ```
/// BindResponse ::= [APPLICATION 1] SEQUENCE {
///      COMPONENTS OF LDAPResult,
///      serverSaslCreds    [7] OCTET STRING OPTIONAL }
/// ```
public struct BindResponse: Hashable, Sendable {
    public static let tag = ASN1Identifier.application(1)
    public var result: LDAPResult
    public var serverSaslCredentials: [UInt8]?

    public init(result: LDAPResult, serverSaslCredentials: [UInt8]? = nil) {
        self.result = result
        self.serverSaslCredentials = serverSaslCredentials
    }

    public init(node: ASN1Node) throws {
        var children = try node.children(Self.tag, field: "BindResponse").makeIterator()
        var next: ASN1Node?
        result = try LDAPResult(components: &children, next: &next)
        serverSaslCredentials = try next.map { Array(try $0.primitiveBytes(.context(7), field: "serverSaslCreds")) }
        guard children.next() == nil else { throw LDAPDecodingError("BindResponse: trailing element") }
    }

    public func serialize(into coder: inout DER.Serializer) throws {
        try coder.appendConstructedNode(identifier: Self.tag) { coder in
            try result.serializeComponents(into: &coder)
            if let serverSaslCredentials { coder.appendOctets(serverSaslCredentials, identifier: .context(7)) }
        }
    }
}

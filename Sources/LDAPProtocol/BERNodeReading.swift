public import SwiftASN1

/// Small readers over swift-asn1 nodes for the shapes LDAP uses (RFC 4511 §5.1):
/// primitive OCTET STRINGs under IMPLICIT tags, INTEGERs, ENUMERATEDs and
/// BOOLEANs, each failing with an `LDAPDecodingError` that names the field.
extension ASN1Node {
    /// The content octets of a primitive node with the given tag.
    @inlinable
    public func primitiveBytes(_ identifier: ASN1Identifier, field: StaticString) throws -> ArraySlice<UInt8> {
        guard self.identifier == identifier, case .primitive(let bytes) = content else {
            throw LDAPDecodingError("\(field): expected \(identifier), found \(self.identifier)")
        }
        return bytes
    }

    /// An LDAPString (UTF-8) under the given tag.
    @inlinable
    public func utf8String(_ identifier: ASN1Identifier = .octetString, field: StaticString) throws -> String {
        let bytes = try primitiveBytes(identifier, field: field)
        guard let string = String(validating: bytes, as: UTF8.self) else {
            throw LDAPDecodingError("\(field): not valid UTF-8")
        }
        return string
    }

    /// An INTEGER or ENUMERATED that fits in an Int.
    @inlinable
    public func integer(_ identifier: ASN1Identifier = .integer, field: StaticString) throws -> Int {
        guard self.identifier == identifier else {
            throw LDAPDecodingError("\(field): expected \(identifier), found \(self.identifier)")
        }
        do {
            return try Int(berEncoded: self, withIdentifier: identifier)
        } catch {
            throw LDAPDecodingError("\(field): invalid integer")
        }
    }

    /// A BOOLEAN (BER: any non-zero octet is TRUE).
    @inlinable
    public func boolean(_ identifier: ASN1Identifier = .boolean, field: StaticString) throws -> Bool {
        do {
            return try Bool(berEncoded: self, withIdentifier: identifier)
        } catch {
            throw LDAPDecodingError("\(field): invalid BOOLEAN")
        }
    }

    /// The children of a constructed node with the given tag.
    @inlinable
    public func children(_ identifier: ASN1Identifier, field: StaticString) throws -> ASN1NodeCollection {
        guard self.identifier == identifier, case .constructed(let nodes) = content else {
            throw LDAPDecodingError("\(field): expected constructed \(identifier), found \(self.identifier)")
        }
        return nodes
    }
}

extension ASN1NodeCollection.Iterator {
    /// The next node, or a decoding error naming the missing field.
    @inlinable
    public mutating func required(_ field: StaticString) throws -> ASN1Node {
        guard let node = next() else { throw LDAPDecodingError("\(field): missing") }
        return node
    }
}

extension ASN1Identifier {
    /// `[APPLICATION n]`.
    @inlinable
    public static func application(_ number: UInt) -> ASN1Identifier {
        ASN1Identifier(tagWithNumber: number, tagClass: .application)
    }

    /// `[n]` (context-specific).
    @inlinable
    public static func context(_ number: UInt) -> ASN1Identifier {
        ASN1Identifier(tagWithNumber: number, tagClass: .contextSpecific)
    }
}

extension DER.Serializer {
    /// Appends a primitive node holding `bytes`.
    @inlinable
    public mutating func appendOctets<Bytes: Sequence>(_ bytes: Bytes, identifier: ASN1Identifier = .octetString)
    where Bytes.Element == UInt8 {
        appendPrimitiveNode(identifier: identifier) { $0.append(contentsOf: bytes) }
    }

    /// Appends an LDAPString.
    @inlinable
    public mutating func appendString(_ string: String, identifier: ASN1Identifier = .octetString) {
        appendOctets(string.utf8, identifier: identifier)
    }

    /// Appends an INTEGER or ENUMERATED.
    @inlinable
    public mutating func appendInteger(_ value: Int, identifier: ASN1Identifier = .integer) throws {
        try value.serialize(into: &self, withIdentifier: identifier)
    }

    /// Appends a BOOLEAN (DER: TRUE is 0xFF).
    @inlinable
    public mutating func appendBoolean(_ value: Bool, identifier: ASN1Identifier = .boolean) throws {
        try value.serialize(into: &self, withIdentifier: identifier)
    }
}

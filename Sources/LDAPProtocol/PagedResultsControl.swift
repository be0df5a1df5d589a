import SwiftASN1

/// The Simple Paged Results control value (RFC 2696 §2), request and response.
///
/// ```
/// pagedResultsControl ::= SEQUENCE {
///         controlType     1.2.840.113556.1.4.319,
///         criticality     BOOLEAN DEFAULT FALSE,
///         controlValue    searchControlValue }
/// realSearchControlValue ::= SEQUENCE {
///         size            INTEGER (0..maxInt),
///                                 -- requested page size from client
///                                 -- result set size estimate from server
///         cookie          OCTET STRING }
/// ```
public struct PagedResultsControl: Hashable, Sendable {
    public static let oid = "1.2.840.113556.1.4.319"

    public var size: Int
    public var cookie: [UInt8]

    public init(size: Int, cookie: [UInt8]) {
        self.size = size
        self.cookie = cookie
    }

    /// Reads a control's value; a missing or malformed value is a protocolError.
    public init(_ control: LDAPControl) throws {
        guard let value = control.value else {
            throw LDAPOperationError(.protocolError, "the paged results control needs a value (RFC 2696 §2)")
        }
        do {
            var children = try BER.parse(value).children(.sequence, field: "paged results value").makeIterator()
            size = try children.required("size").integer(field: "size")
            cookie = Array(try children.required("cookie").primitiveBytes(.octetString, field: "cookie"))
            guard children.next() == nil, (0...LDAPMessage.maxInt).contains(size) else {
                throw LDAPDecodingError("paged results value: bad size or trailing element")
            }
        } catch let error as LDAPOperationError {
            throw error
        } catch {
            throw LDAPOperationError(.protocolError, "malformed paged results control value (RFC 2696 §2): \(error)")
        }
    }

    public func control(criticality: Bool = false) -> LDAPControl {
        var coder = DER.Serializer()
        coder.appendConstructedNode(identifier: .sequence) { coder in
            try? coder.appendInteger(size)
            coder.appendOctets(cookie)
        }
        return LDAPControl(oid: Self.oid, criticality: criticality, value: coder.serializedBytes)
    }
}

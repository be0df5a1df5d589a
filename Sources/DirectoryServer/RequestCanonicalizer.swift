import LDAPProtocol
import NIOConcurrencyHelpers

/// Writes every attribute type a request names by its canonical name before
/// anything decides on it (RFC 4512 §2.5: a type may be spelled by any of its
/// names or by its numeric OID, in any case, with options; RFC 4514 §2.3: so may
/// the types of a DN's RDNs). After this, `2.5.4.35`, `USERPASSWORD;binary` and
/// `userPassword` are one spelling for the access policy and the rules, and an
/// attribute is refused or allowed for what it is, not for how it was written.
///
/// Covered: search filters and attribute lists, Add and Modify attributes (and
/// DN-valued attribute values), Compare, every DN a request names (bind name,
/// base, entry, new RDN, new superior), and the controls that carry a filter or
/// attribute names: assertion (RFC 4528), server-side sort (RFC 2891) and
/// pre/post-read (RFC 4527). A type the directory does not know is kept as
/// written where LDAP lets it be undefined (filters, attribute lists) and refused
/// where it would be stored (`undefinedAttributeType`, 17).
struct RequestCanonicalizer: Sendable {
    let schema: AttributeTypeRegistry
    /// The last search base or bind name made canonical, and how: a connection's clients ask
    /// under the same base again and again (one canonicalizer per connection).
    private let lastDN = NIOLockedValueBox<(written: String, canonical: String)?>(nil)

    init(schema: AttributeTypeRegistry) {
        self.schema = schema
    }

    /// `schema.canonicalDN`, remembering the last one.
    private func repeatedDN(_ dn: String) -> String {
        if let last = lastDN.withLockedValue({ $0 }), last.written == dn { return last.canonical }
        let canonical = schema.canonicalDN(dn)
        lastDN.withLockedValue { $0 = (dn, canonical) }
        return canonical
    }

    func canonical(_ message: LDAPMessage) throws -> LDAPMessage {
        var message = message
        message.operation = try canonical(message.operation)
        message.controls = try message.controls.map(canonical)
        return message
    }

    func canonical(_ operation: ProtocolOperation) throws -> ProtocolOperation {
        switch operation {
        case .bindRequest(var request):
            request.name = repeatedDN(request.name)
            return .bindRequest(request)
        case .searchRequest(var request):
            request.baseObject = repeatedDN(request.baseObject)
            request.filter = try filter(request.filter)
            request.attributes = try request.attributes.map(selection)
            return .searchRequest(request)
        case .addRequest(var request):
            request.entry = schema.canonicalDN(request.entry)
            request.attributes = try request.attributes.map(stored)
            return .addRequest(request)
        case .modifyRequest(var request):
            request.object = schema.canonicalDN(request.object)
            request.changes = try request.changes.map { change in
                var change = change
                change.modification = try stored(change.modification)
                return change
            }
            return .modifyRequest(request)
        case .deleteRequest(let dn):
            return .deleteRequest(schema.canonicalDN(dn))
        case .modifyDNRequest(var request):
            request.entry = schema.canonicalDN(request.entry)
            request.newRDN = schema.canonicalDN(request.newRDN)
            request.newSuperior = request.newSuperior.map { schema.canonicalDN($0) }
            return .modifyDNRequest(request)
        case .compareRequest(var request):
            request.entry = schema.canonicalDN(request.entry)
            let (type, options) = try known(request.attribute)
            request.attribute = ([type.canonicalName] + options).joined(separator: ";")
            if schema.hasDNSyntax(type) { request.value = Array(schema.canonicalDN(String(decoding: request.value, as: UTF8.self)).utf8) }
            return .compareRequest(request)
        default:
            return operation
        }
    }

    func canonical(_ control: LDAPControl) throws -> LDAPControl {
        switch control.oid {
        case AssertionControl.oid:
            let assertion = AssertionControl(try filter(try AssertionControl(control).filter))
            var rewritten = try assertion.control()
            rewritten.criticality = control.criticality
            return rewritten
        case ServerSideSortRequest.oid:
            var request = try ServerSideSortRequest(value: control.value)
            request.keys = try request.keys.map { key in
                var key = key
                key.attributeType = try description(key.attributeType)
                return key
            }
            return LDAPControl(oid: control.oid, criticality: control.criticality, value: try request.encoded())
        case SupportedControls.preRead, SupportedControls.postRead:
            let attributes = try ReadEntryRequest.attributes(from: control.value).map(selection)
            return LDAPControl(oid: control.oid, criticality: control.criticality, value: ReadEntryRequest.value(attributes: attributes))
        default:
            return control
        }
    }

    /// A filter with its attribute descriptions canonical (unknown ones stay: slapd evaluates them as Undefined).
    func filter(_ filter: SearchFilter) throws -> SearchFilter {
        try filter.mappingAttributeDescriptions(description)
    }

    /// An attribute description in a filter or a sort key.
    func description(_ text: String) throws -> String {
        _ = try AttributeDescription.validated(text)
        return schema.canonical(text) ?? text
    }

    /// An entry of an attribute selection (RFC 4511 §4.5.1.8): `*`, `+`, `1.1` and `@class` (RFC 4529) stay.
    func selection(_ text: String) throws -> String {
        if text == "*" || text == "+" || text == "1.1" || text.hasPrefix("@") { return text }
        return try description(text)
    }

    /// An attribute about to be stored: its type must exist; DN values get canonical types too.
    func stored(_ attribute: PartialAttribute) throws -> PartialAttribute {
        let (type, options) = try known(attribute.type)
        var attribute = attribute
        attribute.type = ([type.canonicalName] + options).joined(separator: ";")
        if schema.hasDNSyntax(type) {
            attribute.values = attribute.values.map { Array(schema.canonicalDN(String(decoding: $0, as: UTF8.self)).utf8) }
        }
        return attribute
    }

    private func known(_ text: String) throws -> (AttributeTypeRegistry.AttributeType, [String]) {
        _ = try AttributeDescription.validated(text)
        guard let resolved = schema.resolve(text) else {
            throw LDAPOperationError(
                .undefinedAttributeType,
                "unknown attribute type \"\(text.prefix(64))\": use a name or OID listed in cn=Subschema (attributeTypes)")
        }
        return resolved
    }
}

public import LDAPProtocol
import Habilitations

/// The root DSE (RFC 4512 §5.1), served by Annuaire itself so that it
/// advertises only what the front-end really does: the naming context, LDAPv3,
/// the extended operations and features implemented, and where the subschema
/// entry is. Its attributes are operational: returned for `+` or by name.
public struct RootDSE: Sendable {
    public static let subschemaSubentry = "cn=Subschema"

    /// RFC 4532.
    public static let whoAmIOID = "1.3.6.1.4.1.4203.1.11.3"

    public var attributes: [PartialAttribute]

    public init(configuration: ServerConfiguration) {
        attributes = [
            PartialAttribute(type: "objectClass", strings: ["top", "extensibleObject"]),
            PartialAttribute(type: "namingContexts", strings: [configuration.suffix]),
            PartialAttribute(type: "subschemaSubentry", strings: [Self.subschemaSubentry]),
            PartialAttribute(type: "supportedLDAPVersion", strings: ["3"]),
            PartialAttribute(
                type: "supportedExtension",
                strings: (configuration.tlsContext == nil ? [] : [StartTLSHandler.oid])
                    + [Self.whoAmIOID, PasswordModifyRequest.oid, CancelRequest.oid, CreateUserRequest.oid, CreateUsersRequest.oid,
                       HabilitationService.resendIdentifierOID]),
            PartialAttribute(type: "supportedControl", strings: SupportedControls.advertised),
            PartialAttribute(type: "supportedFeatures", strings: [
                "1.3.6.1.4.1.4203.1.5.1",  // all operational attributes, "+" (RFC 3673)
                "1.3.6.1.4.1.4203.1.5.2",  // attributes by object class, "@class" (RFC 4529)
                "1.3.6.1.4.1.4203.1.5.3",  // absolute true and false filters (RFC 4526)
            ]),
            PartialAttribute(type: "vendorName", strings: ["Annuaire"]),
            PartialAttribute(type: "vendorVersion", strings: [configuration.vendorVersion]),
        ]
    }

    /// The entry for a base search of "" with this filter and attribute selection, or nil if the filter does not match.
    public func entry(for request: SearchRequest) -> SearchResultEntry? {
        guard matches(request.filter) == true else { return nil }
        let selectors = Set(request.attributes.map { $0.lowercased() })
        let allOperational = selectors.contains("+")
        let allUser = selectors.isEmpty || selectors.contains("*")
        let selected = attributes.filter { attribute in
            let name = attribute.type.lowercased()
            if selectors.contains(name) { return true }
            return name == "objectclass" ? allUser : allOperational
        }
        if selectors == ["1.1"] {
            return SearchResultEntry(objectName: "", attributes: [])
        }
        return SearchResultEntry(objectName: "", attributes: selected, typesOnly: request.typesOnly)
    }

    /// Filter evaluation on the root DSE (RFC 4511 §4.5.1.7): true, false, or nil (Undefined).
    func matches(_ filter: SearchFilter) -> Bool? {
        switch filter {
        case .and(let filters):
            var result: Bool? = true
            for filter in filters {
                switch matches(filter) {
                case .some(false): return false
                case nil: result = nil
                default: break
                }
            }
            return result
        case .or(let filters):
            var result: Bool? = false
            for filter in filters {
                switch matches(filter) {
                case .some(true): return true
                case nil: result = nil
                default: break
                }
            }
            return result
        case .not(let filter):
            return matches(filter).map { !$0 }
        case .present(let type):
            return attribute(type) != nil
        case .equality(let type, let value):
            guard let attribute = attribute(type) else { return false }
            let wanted = String(decoding: value, as: UTF8.self).lowercased()
            return attribute.stringValues.contains { $0.lowercased() == wanted }
        default:
            return nil
        }
    }

    private func attribute(_ type: String) -> PartialAttribute? {
        attributes.first { $0.type.lowercased() == type.lowercased() }
    }
}

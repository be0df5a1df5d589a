public import LDAPProtocol

/// The request controls the front-end accepts, per operation (RFC 4511
/// §4.1.11): these are passed on to slapd, which implements them; a critical
/// control outside the list gets `unavailableCriticalExtension` (12), a
/// non-critical one is dropped. Controls that would act with the service
/// identity's powers (proxied authorization, relax rules) are never passed.
public enum SupportedControls {
    /// RFC 2696.
    public static let pagedResults = PagedResultsControl.oid
    /// RFC 2891 (slapd's sssvlv overlay).
    public static let serverSideSort = "1.2.840.113556.1.4.473"
    /// RFC 4528.
    public static let assertion = "1.3.6.1.1.12"
    /// RFC 4527.
    public static let preRead = "1.3.6.1.1.13.1"
    public static let postRead = "1.3.6.1.1.13.2"
    /// RFC 3296.
    public static let manageDsaIT = "2.16.840.1.113730.3.4.2"
    /// draft-behera-ldap-password-policy.
    public static let passwordPolicy = "1.3.6.1.4.1.42.2.27.8.5.1"
    /// Permissive modify (Active Directory's, implemented by slapd).
    public static let permissiveModify = "1.2.840.113556.1.4.1413"

    /// The controls accepted for an operation.
    public static func accepted(for operation: ProtocolOperation) -> Set<String> {
        switch operation {
        case .searchRequest: [pagedResults, serverSideSort, assertion, manageDsaIT]
        case .compareRequest: [assertion, manageDsaIT]
        case .addRequest: [assertion, postRead, manageDsaIT]
        case .modifyRequest: [assertion, preRead, postRead, manageDsaIT, permissiveModify, passwordPolicy]
        case .deleteRequest: [assertion, preRead, manageDsaIT]
        case .modifyDNRequest: [assertion, preRead, postRead, manageDsaIT]
        case .bindRequest: [passwordPolicy]
        case .extendedRequest(let request) where request.name == PasswordModifyRequest.oid: [passwordPolicy]
        default: []
        }
    }

    /// Every control advertised in the root DSE (the language preference is read by the front-end itself, never passed on).
    public static let advertised: [String] = [
        pagedResults, serverSideSort, assertion, preRead, postRead, manageDsaIT, passwordPolicy, permissiveModify, LanguagePreferenceControl.oid,
    ]

    /// The controls of `message` to pass on to slapd, or an error for an unsupported critical one.
    public static func forwardable(_ controls: [LDAPControl], for operation: ProtocolOperation) throws -> [LDAPControl] {
        let accepted = accepted(for: operation)
        var forwarded: [LDAPControl] = []
        for control in controls {
            if accepted.contains(control.oid) {
                forwarded.append(control)
            } else if control.criticality {
                throw LDAPOperationError(
                    .unavailableCriticalExtension,
                    "critical control \(OperationLog.bounded(control.oid)) is not supported with \(operation.name); send it as non-critical or leave it out"
                )
            }
        }
        return forwarded
    }
}

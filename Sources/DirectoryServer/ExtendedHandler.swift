import Habilitations
public import LDAPProtocol

/// Extended operations (RFC 4511 §4.12): Who am I (RFC 4532); any other
/// request name gets `protocolError` with a diagnostic, as §4.12 requires.
public enum ExtendedHandler {
    public static func handle(_ request: ExtendedRequest, context: RequestContext) async throws -> ExtendedResponse {
        _ = try context.forwardableControls(for: .extendedRequest(request))
        switch request.name {
        case RootDSE.whoAmIOID:
            guard request.value == nil else {
                throw LDAPOperationError(.protocolError, "the Who am I request carries no value (RFC 4532 §2)")
            }
            let authzID: String = switch context.identity {
            case .anonymous: ""
            case .user(let dn): "dn:\(dn)"
            }
            return ExtendedResponse(result: .success, value: Array(authzID.utf8))
        default:
            throw LDAPOperationError(.protocolError, "unsupported extended operation \(request.name)")
        }
    }
}

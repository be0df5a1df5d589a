public import DirectoryBackend
import Habilitations
public import LDAPProtocol

/// Add, Modify, Delete, Modify DN (RFC 4511 §4.6–§4.9) and Compare (§4.10):
/// the access policy decides, slapd applies (schema, uniqueness, result codes
/// with matchedDN), and the pre-/post-read controls' entries (RFC 4527) are
/// redacted like search results.
public enum UpdateHandlers {
    public static func add(_ request: AddRequest, context: RequestContext) async throws -> OperationOutcome {
        let controls = try context.forwardableControls(for: .addRequest(request))
        try context.policy.authorizeAdd(dn: request.entry, attributes: request.attributes, by: context.identity)
        return redacted(try await context.store.add(dn: request.entry, attributes: request.attributes, controls: controls), context)
    }

    public static func modify(_ request: ModifyRequest, context: RequestContext) async throws -> OperationOutcome {
        let controls = try context.forwardableControls(for: .modifyRequest(request))
        try context.policy.authorizeModify(dn: request.object, changes: request.changes, by: context.identity)
        return redacted(try await context.store.modify(dn: request.object, changes: request.changes, controls: controls), context)
    }

    public static func delete(_ dn: String, context: RequestContext) async throws -> OperationOutcome {
        let controls = try context.forwardableControls(for: .deleteRequest(dn))
        try context.policy.authorizeDelete(dn: dn, by: context.identity)
        return redacted(try await context.store.delete(dn: dn, controls: controls), context)
    }

    public static func modifyDN(_ request: ModifyDNRequest, context: RequestContext) async throws -> OperationOutcome {
        let controls = try context.forwardableControls(for: .modifyDNRequest(request))
        try context.policy.authorizeRename(dn: request.entry, newSuperior: request.newSuperior, by: context.identity)
        return redacted(try await context.store.rename(
            dn: request.entry, newRDN: request.newRDN, deleteOldRDN: request.deleteOldRDN,
            newSuperior: request.newSuperior, controls: controls
        ), context)
    }

    public static func compare(_ request: CompareRequest, context: RequestContext) async throws -> OperationOutcome {
        let controls = try context.forwardableControls(for: .compareRequest(request))
        try context.policy.authorizeCompare(dn: request.entry, attribute: request.attribute, by: context.identity)
        return try await context.store.compare(dn: request.entry, attribute: request.attribute, value: request.value, controls: controls)
    }

    /// Pre-/post-read response controls carry an entry: remove protected attributes from it.
    static func redacted(_ outcome: OperationOutcome, _ context: RequestContext) -> OperationOutcome {
        var outcome = outcome
        outcome.controls = outcome.controls.compactMap { control in
            guard control.oid == SupportedControls.preRead || control.oid == SupportedControls.postRead else { return control }
            guard let value = control.value, var entry = try? ReadEntryControl.entry(from: value) else { return nil }
            context.policy.redact(&entry)
            return (try? ReadEntryControl.encode(entry)).map { LDAPControl(oid: control.oid, criticality: false, value: $0) }
        }
        return outcome
    }
}

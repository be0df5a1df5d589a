import DirectoryBackend
import Habilitations
public import LDAPProtocol

/// Add, Modify, Delete, Modify DN (RFC 4511 §4.6–§4.9) and Compare (§4.10):
/// the access policy decides, slapd applies (schema, uniqueness, result codes
/// with matchedDN), and the pre-/post-read controls' entries (RFC 4527) are
/// redacted like search results.
public enum UpdateHandlers {
    public static func add(_ request: AddRequest, context: RequestContext) async throws -> OperationOutcome {
        let controls = try context.forwardableControls(for: .addRequest(request))
        let principal = try context.policy.authenticated(context.identity)
        // R8: under a parent the principal may not see, the answer is the missing parent's.
        guard let parent = TargetVisibility.parentDN(of: request.entry) else {
            throw await context.visibility.missing(request.entry, by: principal)
        }
        try await context.visibility.requireVisibleBase(parent, by: principal)
        return try await withReadControls(request.entry, controls, context) {
            try await context.habilitations.add(dn: request.entry, attributes: request.attributes, by: principal, controls: controls)
        }
    }

    public static func modify(_ request: ModifyRequest, context: RequestContext) async throws -> OperationOutcome {
        let controls = try context.forwardableControls(for: .modifyRequest(request))
        if PasswordChangeByModify.touchesPassword(request) {
            return try await PasswordChangeByModify.handle(request, controls: controls, context: context)
        }
        let principal = try context.policy.authenticated(context.identity)
        try await context.visibility.requireReadable(request.object, by: principal)
        return try await withReadControls(request.object, controls, context) {
            try await context.habilitations.modify(dn: request.object, changes: request.changes, by: principal, controls: controls)
        }
    }

    public static func delete(_ dn: String, context: RequestContext) async throws -> OperationOutcome {
        let controls = try context.forwardableControls(for: .deleteRequest(dn))
        let principal = try context.policy.authenticated(context.identity)
        try await context.visibility.requireReadable(dn, by: principal)
        return try await withReadControls(dn, controls, context) {
            try await context.habilitations.delete(dn: dn, by: principal, controls: controls)
        }
    }

    public static func modifyDN(_ request: ModifyDNRequest, context: RequestContext) async throws -> OperationOutcome {
        let controls = try context.forwardableControls(for: .modifyDNRequest(request))
        let principal = try context.policy.authenticated(context.identity)
        try await context.visibility.requireReadable(request.entry, by: principal)
        if let newSuperior = request.newSuperior {
            try await context.visibility.requireVisibleBase(newSuperior, by: principal)
        }
        return redacted(try await context.habilitations.rename(
            dn: request.entry, newRDN: request.newRDN, deleteOldRDN: request.deleteOldRDN,
            newSuperior: request.newSuperior, by: principal, controls: controls
        ), context)
    }

    public static func compare(_ request: CompareRequest, context: RequestContext) async throws -> OperationOutcome {
        let controls = try context.forwardableControls(for: .compareRequest(request))
        try context.policy.authorizeCompare(dn: request.entry, attribute: request.attribute, by: context.identity)
        // R8: an entry the identity may not read cannot be compared either
        // (an application account tells group membership only for its services).
        let principal = try context.policy.authenticated(context.identity)
        try await context.visibility.requireReadable(request.entry, by: principal)
        return try await context.store.compare(dn: request.entry, attribute: request.attribute, value: request.value, controls: controls)
    }

    /// Pre-/post-read (RFC 4527): the entry as it was just before and just
    /// after the change. Changes to domain entries run in a transaction, where
    /// slapd does not answer these controls, so they are answered by reading
    /// the entry around the change; otherwise slapd's own response is kept.
    static func withReadControls(
        _ dn: String, _ controls: [LDAPControl], _ context: RequestContext, _ change: () async throws -> OperationOutcome
    ) async throws -> OperationOutcome {
        let preRead = controls.first { $0.oid == SupportedControls.preRead }
        let postRead = controls.first { $0.oid == SupportedControls.postRead }
        var before: SearchResultEntry?
        if let preRead {
            before = try await context.store.read(dn, attributes: try ReadEntryRequest.attributes(from: preRead.value))
        }
        var outcome = try await change()
        let answered = Set(outcome.controls.map(\.oid))
        if preRead != nil, !answered.contains(SupportedControls.preRead), let before {
            outcome.controls.append(LDAPControl(oid: SupportedControls.preRead, value: try ReadEntryControl.encode(before)))
        }
        if let postRead, !answered.contains(SupportedControls.postRead),
           let after = try await context.store.read(dn, attributes: try ReadEntryRequest.attributes(from: postRead.value)) {
            outcome.controls.append(LDAPControl(oid: SupportedControls.postRead, value: try ReadEntryControl.encode(after)))
        }
        return redacted(outcome, context)
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

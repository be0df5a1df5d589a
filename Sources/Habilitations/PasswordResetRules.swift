import LDAPProtocol

/// R8 for password resets and identifier mails (R6, R9): the operator, an
/// administrator of one of the person's conventions (the portal's
/// "réinitialiser le mot de passe"), or a group's responsible for a person it
/// manages (the rule it changes people by). The password or the identifier
/// goes to the person's own address, never to whoever asked.
extension HabilitationService {
    public func authorizePasswordReset(of dn: String, by principal: Principal) async throws {
        if principal.isOperator { return }
        let entry = try await store.read(dn, attributes: ConventionWorld.userAttributes).map(EntrySnapshot.init)
        if case .partnerAdministrator(let conventions) = principal.role {
            let userConventions = Set((entry?.values(AttributeName.convention) ?? []).compactMap { try? DistinguishedName($0) })
            if !userConventions.isDisjoint(with: conventions) { return }
            if principal.managedGroups.isEmpty {
                throw RuleViolation.delegation(.r8NotUserOfYourConvention, ["dn": "\(dn)"])
            }
        }
        guard !principal.managedGroups.isEmpty, let entry, (try? DistinguishedName(dn)) != principal.name else {
            throw RuleViolation.delegation(.r8WhoResetsPasswords)
        }
        try await authorizeUserChangeAsResponsible(dn, before: entry, principal: principal)
    }
}

import LDAPProtocol

/// R8 for password resets: the operator, or an administrator of one of the
/// person's conventions (the portal's "réinitialiser le mot de passe").
extension HabilitationService {
    public func authorizePasswordReset(of dn: String, by principal: Principal) async throws {
        switch principal.role {
        case .operator:
            return
        case .partnerAdministrator(let conventions):
            let entry = try await store.read(dn, attributes: ["annConvention"]).map(EntrySnapshot.init)
            let userConventions = Set((entry?.values("annConvention") ?? []).compactMap { try? DistinguishedName($0) })
            guard !userConventions.isDisjoint(with: conventions) else {
                throw RuleViolation.delegation("\(dn) is not a user of a convention you administer")
            }
        default:
            throw RuleViolation.delegation("only the operator or the person's administrators reset a password")
        }
    }
}

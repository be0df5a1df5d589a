import Hummingbird
import LDAPProtocol

/// The convention a page of the tutorial is about (Gestion des utilisateurs, Gestion des
/// groupes, Historique, Mes tableaux de bord): the one the query names, else the person's first.
/// R8: only one of the person's own conventions; a number that is not one of them answers as a
/// missing entry, the same page whether it exists elsewhere or not.
enum ConventionPageTarget {
    /// The page goes on with this convention (and the person's others, for the selector).
    case convention(ConventionChoice, ConventionChoice.Convention)
    /// The page is already answered: no convention at all, a refusal, or a lost connection.
    case answered(Response)
}

extension Portal {
    /// Loads the person's conventions and picks the one `wanted` names. With no convention and
    /// none asked for, the page `template` is shown saying so.
    func conventionTarget(
        _ session: PortalSession, _ person: PersonSession, wanted: String?, template: String, title: String
    ) async throws -> ConventionPageTarget {
        let choice: ConventionChoice
        do {
            choice = try await ConventionChoice.load(
                person, endpoint: configuration.directory, wanted: wanted, maxAge: configuration.conventionsKeptSeconds)
        } catch {
            return .answered(try failurePage(session, error))
        }
        guard let convention = choice.selected, wanted.map({ $0 == convention.number }) ?? true else {
            if choice.all.isEmpty && wanted == nil {
                return .answered(try page(template, title: title, session: session, values: ["noConvention": true]))
            }
            return .answered(try failurePage(session, LDAPOperationError(.noSuchObject, "")))
        }
        return .convention(choice, convention)
    }
}

import Messages
import Foundation
import Hummingbird
import NIOCore
import LDAPProtocol
public import Logging

/// The partner web portal "Mon Compte Partenaire" (issue #17): plain HTML
/// forms over the Annuaire LDAP front-end, acting as the person logged in.
/// This type holds what every page needs (sessions, the directory, the
/// renderer, the rate limits) and the session/CSRF plumbing; the pages are
/// in `Pages/`.
public final class Portal: Sendable {
    let configuration: PortalConfiguration
    let sessions: SessionStore
    let directory: PortalDirectory
    let renderer: PageRenderer
    let resources: PortalResources
    let logger: Logger
    let loginPerAddress: RateLimiter
    let loginPerIdentifier: RateLimiter
    let recoveryPerAddress: RateLimiter
    let recoveryPerIdentifier: RateLimiter

    /// The session cookie: `__Host-` on HTTPS (Secure, Path=/, no Domain: RFC 6265bis §4.1.3.2).
    var cookieName: String { configuration.tls == nil ? "annuaire_session" : "__Host-annuaire_session" }

    public init(configuration: PortalConfiguration, clock: any PortalClock = SystemPortalClock(), logger: Logger) async throws {
        self.configuration = configuration
        resources = try configuration.resources ?? PortalResources.locate()
        renderer = try await PageRenderer(resources: resources)
        sessions = SessionStore(limits: configuration.sessions, clock: clock)
        directory = PortalDirectory(endpoint: configuration.directory)
        self.logger = logger
        loginPerAddress = RateLimiter(configuration.loginPerAddress, clock: clock)
        loginPerIdentifier = RateLimiter(configuration.loginPerIdentifier, clock: clock)
        recoveryPerAddress = RateLimiter(configuration.recoveryPerAddress, clock: clock)
        recoveryPerIdentifier = RateLimiter(configuration.recoveryPerIdentifier, clock: clock)
    }

    // MARK: - Sessions

    /// What a request's cookie leads to.
    func lookup(_ request: Request) -> SessionStore.Lookup {
        guard let id = request.cookies[cookieName]?.value, SessionSecret.isWellFormed(id) else { return .unknown }
        return sessions.lookup(id)
    }

    /// The request's session, or a new one before login (for the CSRF token of the login and recovery forms).
    func anySession(_ request: Request) -> (session: PortalSession, isNew: Bool) {
        if case .active(let session) = lookup(request) { return (session, false) }
        return (sessions.createAnonymous(language: Language(portalCode: request.cookies["annuaire_lang"]?.value)), true)
    }

    /// Thrown when a page needs a logged-in person and there is none: the answer is a redirect.
    struct Redirect: Error {
        let location: String
    }

    /// The logged-in session, or a redirect to the login page (saying so when it expired).
    /// R6: while a temporary password is not changed, only the change form is reachable.
    func personSession(_ request: Request, allowMustChange: Bool = false) throws -> (PortalSession, PersonSession) {
        switch lookup(request) {
        case .active(let session):
            guard let person = session.person else { throw Redirect(location: "/connexion") }
            if person.mustChangePassword && !allowMustChange { throw Redirect(location: "/mot-de-passe/changer") }
            // The server words its refusals in the page's language.
            person.connection.use(session.language)
            return (session, person)
        case .expired(let wasLoggedIn):
            throw Redirect(location: wasLoggedIn ? "/connexion?expiree=1" : "/connexion")
        case .unknown:
            throw Redirect(location: "/connexion")
        }
    }

    /// Drops the conventions the request's person last read (`ConventionChoice`), after a posted form.
    func forgetConventions(_ request: Request) {
        if case .active(let session) = lookup(request) { session.person?.connection.forgetConventions() }
    }

    /// Whether a posted form carries this session's CSRF token (synchronizer token pattern).
    func checkCSRF(_ form: FormData, _ session: PortalSession) -> Bool {
        guard let token = form["csrf"] else { return false }
        return SessionSecret.equal(token, session.csrfToken)
    }

    /// The body of a posted form (at most 64 KiB).
    func form(_ request: Request) async throws -> FormData {
        var request = request
        let buffer = try await request.collectBody(upTo: 64 * 1024)
        return FormData(String(buffer: buffer))
    }

    /// The query string's fields.
    func query(_ request: Request) -> FormData {
        FormData(request.uri.query ?? "")
    }

    // MARK: - Answers

    func setSessionCookie(_ response: inout Response, _ session: PortalSession) {
        response.setCookie(Cookie(
            name: cookieName, value: session.id, path: "/", secure: configuration.tls != nil, httpOnly: true, sameSite: .strict))
    }

    func clearSessionCookie(_ response: inout Response) {
        response.setCookie(Cookie(
            name: cookieName, value: "", maxAge: 0, path: "/", secure: configuration.tls != nil, httpOnly: true, sameSite: .strict))
    }

    func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    /// A page for a session, setting the cookie when the session is new.
    func page(
        _ template: String, title: String, session: PortalSession, isNew: Bool = false, values: [String: Any] = [:], status: HTTPResponse.Status = .ok
    ) throws -> Response {
        var response = try renderer.page(template, title: PortalTexts.text(title, session.language), session: session, values: values, status: status)
        if isNew { setSessionCookie(&response, session) }
        if session.notice != nil {
            var shown = session
            shown.notice = nil
            sessions.update(shown)
        }
        return response
    }

    /// The refusal of a form posted without this session's CSRF token (403).
    func csrfRefusal(_ session: PortalSession, isNew: Bool) throws -> Response {
        logger.notice("portal: form refused, missing or wrong CSRF token")
        return try page("error", title: "error.title", session: session, isNew: isNew,
                        values: ["message": PortalTexts.text("error.csrf", session.language)], status: .forbidden)
    }

    /// Keeps a notice for the next page (after a redirect).
    func setNotice(_ session: PortalSession, _ key: String, _ values: [String: String] = [:]) {
        var changed = session
        changed.notice = PortalTexts.text(key, session.language, values)
        sessions.update(changed)
    }

    /// The client's address, for rate limits.
    func clientAddress(_ context: PortalRequestContext) -> String {
        context.remoteAddress?.ipAddress ?? "unknown"
    }
}

extension Portal {
    /// The answer to a failed LDAP call on the person's connection: a lost connection ends the
    /// session (log in again); a refusal is shown in words, a missing entry and a refused one alike.
    func failurePage(_ session: PortalSession, _ error: any Error) throws -> Response {
        guard let refusal = error as? LDAPOperationError else { return try endBrokenSession(session, error) }
        let problem = FieldProblem.place(refusal, language: session.language)
        let status: HTTPResponse.Status = FieldProblem.isMissingOrDenied(refusal) ? .notFound : .badRequest
        return try page("error", title: "error.title", session: session, values: ["message": problem.message], status: status)
    }
}

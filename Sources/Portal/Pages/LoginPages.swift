import Messages
import Foundation
import Hummingbird

/// Connexion (the tutorial's login screen): Identifiant, Mot de passe,
/// "Mot de passe oublié ?", the "Mettre à jour votre mot de passe" box and
/// the SÉCURITÉ block with the legal warning and usage rules (R10, read from
/// the directory before login); and Déconnexion.
extension Portal {
    func loginPage(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let found = lookup(request)
        var session: PortalSession
        let isNew: Bool
        switch found {
        case .active(let active):
            if active.person != nil { return redirect("/accueil") }
            (session, isNew) = (active, false)
        case .expired, .unknown:
            (session, isNew) = (sessions.createAnonymous(language: Language(portalCode: request.cookies["annuaire_lang"]?.value)), true)
        }
        if case .expired(true) = found { session.notice = PortalTexts.text("login.sessionExpired", session.language) }
        if query(request)["expiree"] == "1" && session.notice == nil {
            session.notice = PortalTexts.text("login.sessionExpired", session.language)
        }
        return try await loginForm(session, isNew: isNew, identifier: "", error: nil)
    }

    func loginForm(_ session: PortalSession, isNew: Bool, identifier: String, error: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let texts = await directory.usageTexts()
        var values: [String: Any] = ["identifier": identifier]
        if let texts {
            values["legalWarning"] = texts.legalWarning
            values["usageRules"] = Self.lines(texts.rules)
            values["hasRules"] = true
        }
        if let error { values["error"] = error }
        return try page("login", title: "login.title", session: session, isNew: isNew, values: values, status: status)
    }

    /// A text's lines, the first ("Règles d'usage") left out when it is the heading, "- " bullets removed.
    static func lines(_ text: String) -> [String] {
        var lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if let first = lines.first, !first.hasPrefix("-") { lines.removeFirst() }
        return lines.map { $0.hasPrefix("- ") ? String($0.dropFirst(2)) : $0 }
    }

    func login(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let (session, isNew) = anySession(request)
        let form = try await form(request)
        guard checkCSRF(form, session) else { return try csrfRefusal(session, isNew: isNew) }
        let language = session.language
        let identifier = form.text("identifiant") ?? ""
        guard !identifier.isEmpty, let password = form["motdepasse"], !password.isEmpty else {
            return try await loginForm(session, isNew: isNew, identifier: identifier, error: PortalTexts.text("login.missing", language), status: .badRequest)
        }
        // Both limits are counted for every attempt, known identifier or not: the answer tells nothing.
        let addressAllowed = loginPerAddress.allow(clientAddress(context))
        let identifierAllowed = loginPerIdentifier.allow(identifier.lowercased())
        guard addressAllowed && identifierAllowed else {
            logger.notice("portal: login rate limit reached", metadata: ["address": "\(clientAddress(context))"])
            return try await loginForm(session, isNew: isNew, identifier: identifier, error: PortalTexts.text("login.rateLimited", language), status: .tooManyRequests)
        }
        switch await directory.login(identifier: identifier, password: Array(password.utf8)) {
        case .loggedIn(let connection, let profile, let mustChange):
            let person = PersonSession(connection: connection, profile: profile, mustChangePassword: mustChange)
            let logged: PortalSession
            do {
                logged = try sessions.login(replacing: session.id, person: person, language: language)
            } catch {
                connection.closeInBackground()
                return try await loginForm(session, isNew: isNew, identifier: identifier, error: PortalTexts.text("login.full", language), status: .serviceUnavailable)
            }
            logger.info("portal: login", metadata: ["dn": "\(profile.dn)", "mustChangePassword": "\(mustChange)"])
            var response = redirect(mustChange ? "/mot-de-passe/changer" : "/accueil")
            setSessionCookie(&response, logged)
            return response
        case .refused:
            return try await loginForm(session, isNew: isNew, identifier: identifier, error: PortalTexts.text("login.refused", language), status: .unauthorized)
        case .expired:
            return try await loginForm(session, isNew: isNew, identifier: identifier, error: PortalTexts.text("login.expired", language), status: .unauthorized)
        case .unavailable(let reason):
            logger.error("portal: login failed, directory unavailable", metadata: ["reason": "\(reason)"])
            return try await loginForm(session, isNew: isNew, identifier: identifier, error: PortalTexts.text("login.unavailable", language), status: .serviceUnavailable)
        }
    }

    /// Déconnexion: the session and its LDAP connection end; the cookie is cleared.
    func logout(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        guard case .active(let session) = lookup(request) else { return redirect("/connexion") }
        let form = try await form(request)
        guard checkCSRF(form, session) else { return try csrfRefusal(session, isNew: false) }
        sessions.end(session.id)
        logger.info("portal: logout", metadata: ["dn": "\(session.person?.profile.dn ?? "-")"])
        let next = sessions.createAnonymous(language: session.language)
        var shown = next
        shown.notice = PortalTexts.text("login.loggedOut", session.language)
        sessions.update(shown)
        var response = redirect("/connexion")
        setSessionCookie(&response, next)
        return response
    }

    /// Français / English: kept in a cookie of its own (no secret) and in the session.
    func chooseLanguage(_ request: Request, _ context: PortalRequestContext) async throws -> Response {
        let query = query(request)
        let language = Language(portalCode: query["code"])
        let back = query["retour"].flatMap { $0.hasPrefix("/") && !$0.hasPrefix("//") && !$0.contains("\\") ? $0 : nil } ?? "/connexion"
        if case .active(var session) = lookup(request) {
            session.language = language
            sessions.update(session)
        }
        var response = redirect(back)
        response.setCookie(Cookie(name: "annuaire_lang", value: language.rawValue, path: "/", secure: configuration.tls != nil, httpOnly: true, sameSite: .strict))
        return response
    }
}

import Messages
import Foundation
import Hummingbird
import Mustache
import NIOCore

/// Renders the pages: Mustache templates (logic-less, HTML-escaped by
/// default) with the language's texts as `t`, the session's CSRF token as
/// `csrf`, and the header and footer partials.
struct PageRenderer: Sendable {
    struct MissingTemplate: Error, CustomStringConvertible {
        let name: String
        var description: String { "no portal template \(name)" }
    }

    let library: MustacheLibrary

    init(resources: PortalResources) async throws {
        library = try await MustacheLibrary(directory: resources.templates.path)
    }

    /// An HTML page: `template` rendered with `values` and the common ones.
    func page(_ template: String, title: String, session: PortalSession, values: [String: Any] = [:], status: HTTPResponse.Status = .ok) throws -> Response {
        let language = session.language
        var context: [String: Any] = values
        context["t"] = PortalTexts.table(language)
        context["lang"] = language.rawValue
        context["title"] = title
        context["csrf"] = session.csrfToken
        if let person = session.person {
            context["person"] = ["name": person.profile.displayName, "identifier": person.profile.identifier]
            context["nav"] = !person.mustChangePassword
        }
        if let notice = session.notice { context["notice"] = notice }
        guard let html = library.render(context, withTemplate: template) else { throw MissingTemplate(name: template) }
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

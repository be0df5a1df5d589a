import HTTPTypes
import Hummingbird

/// The headers every answer of the portal carries (issue #17, item 4;
/// OWASP Secure Headers): a Content-Security-Policy that allows only the
/// portal's own stylesheet and script files (no inline script or style),
/// no framing (`X-Frame-Options: DENY`, `frame-ancestors 'none'`), no
/// sniffing, no Referer (a recovery link's code is in the URL fragment, never
/// sent anyway), no caching of pages, and HSTS over TLS.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    let isTLS: Bool

    static var contentSecurityPolicy: String {
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    }

    /// Header names Hummingbird has no constant for.
    private static var fixedHeaders: [(HTTPField.Name, String)] { [
        ("X-Frame-Options", "DENY"), ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ].compactMap { name, value in HTTPField.Name(name).map { ($0, value) } } }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError {
            response = Response(status: error.status, headers: [.contentType: "text/plain; charset=utf-8"],
                                body: .init(byteBuffer: .init(string: error.body ?? "\(error.status.code)")))
        }
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        for (name, value) in Self.fixedHeaders { response.headers[name] = value }
        if response.headers[.cacheControl] == nil {
            response.headers[.cacheControl] = "no-store"
        }
        if isTLS {
            response.headers[.strictTransportSecurity] = "max-age=31536000"
        }
        return response
    }
}

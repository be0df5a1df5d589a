import CCurl
import Foundation
import NIOConcurrencyHelpers

/// SMTP submission (RFC 6409) through libcurl: `smtp://host:587` with
/// STARTTLS (required or opportunistic) and AUTH, or `smtps://host:465`.
/// Sending blocks, so it runs on a thread of its own.
public struct SMTPTransport: MailTransport {
    public struct Configuration: Sendable {
        public var url: String
        public var from: String
        public var username: String?
        public var password: String?
        /// Refuse to send if the server does not offer STARTTLS.
        public var requireTLS: Bool
        /// A CA bundle (PEM) to verify the server with, instead of the system's.
        public var caFile: String?
        public var timeoutSeconds: Int

        public init(url: String, from: String, username: String? = nil, password: String? = nil, requireTLS: Bool = false,
                    caFile: String? = nil, timeoutSeconds: Int = 20) {
            self.url = url
            self.from = from
            self.username = username
            self.password = password
            self.requireTLS = requireTLS
            self.caFile = caFile
            self.timeoutSeconds = timeoutSeconds
        }
    }

    public let configuration: Configuration

    public init(configuration: Configuration) {
        Self.initializeOnce
        self.configuration = configuration
    }

    private static let initializeOnce: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    public func send(_ message: MailMessage) async throws {
        let configuration = self.configuration
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Thread.detachNewThread {
                continuation.resume(with: Result { try Self.sendBlocking(message, configuration) })
            }
        }
    }

    /// The message being uploaded, read by libcurl's callback.
    private final class Upload {
        let bytes: [UInt8]
        var offset = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }
    }

    private static func sendBlocking(_ message: MailMessage, _ configuration: Configuration) throws {
        guard let curl = curl_easy_init() else { throw LDAPMailError("libcurl could not start") }
        defer { curl_easy_cleanup(curl) }
        var generator = SystemRandomNumberGenerator()
        let id = "\(UInt64.random(in: 0...UInt64.max, using: &generator))@annuaire"
        let upload = Upload(Array(message.rfc5322(from: configuration.from, messageID: id).utf8))
        let envelopeFrom = Self.address(in: configuration.from)
        let recipients = curl_slist_append(nil, "<\(message.to)>")
        defer { curl_slist_free_all(recipients) }
        annuaire_curl_set_string(curl, CURLOPT_URL, configuration.url)
        annuaire_curl_set_string(curl, CURLOPT_MAIL_FROM, "<\(envelopeFrom)>")
        annuaire_curl_set_slist(curl, CURLOPT_MAIL_RCPT, recipients)
        annuaire_curl_set_long(curl, CURLOPT_UPLOAD, 1)
        annuaire_curl_set_long(curl, CURLOPT_TIMEOUT, configuration.timeoutSeconds)
        annuaire_curl_set_long(curl, CURLOPT_NOSIGNAL, 1)
        annuaire_curl_set_long(curl, CURLOPT_USE_SSL, Int(configuration.requireTLS ? CURLUSESSL_ALL.rawValue : CURLUSESSL_TRY.rawValue))
        if let caFile = configuration.caFile { annuaire_curl_set_string(curl, CURLOPT_CAINFO, caFile) }
        if let username = configuration.username { annuaire_curl_set_string(curl, CURLOPT_USERNAME, username) }
        if let password = configuration.password { annuaire_curl_set_string(curl, CURLOPT_PASSWORD, password) }
        annuaire_curl_set_read_function(curl) { buffer, size, count, userdata in
            guard let buffer, let userdata else { return 0 }
            let upload = Unmanaged<Upload>.fromOpaque(userdata).takeUnretainedValue()
            let length = min(size * count, upload.bytes.count - upload.offset)
            upload.bytes.withUnsafeBufferPointer { source in
                if let base = source.baseAddress, length > 0 {
                    UnsafeMutableRawPointer(buffer).copyMemory(from: base + upload.offset, byteCount: length)
                }
            }
            upload.offset += length
            return length
        }
        let context = Unmanaged.passRetained(upload)
        defer { context.release() }
        annuaire_curl_set_pointer(curl, CURLOPT_READDATA, context.toOpaque())
        let code = curl_easy_perform(curl)
        guard code == CURLE_OK else {
            let reason = curl_easy_strerror(code).map { String(cString: $0) } ?? "error \(code.rawValue)"
            throw LDAPMailError("SMTP delivery to \(message.to) through \(Self.redacted(configuration.url)) failed: \(reason)")
        }
    }

    /// The bare address of `Name <address>`.
    static func address(in from: String) -> String {
        guard let open = from.lastIndex(of: "<"), let close = from.lastIndex(of: ">"), open < close else { return from }
        return String(from[from.index(after: open)..<close])
    }

    /// The URL without any credentials it may carry.
    static func redacted(_ url: String) -> String {
        guard let at = url.firstIndex(of: "@"), let scheme = url.range(of: "://") else { return url }
        return String(url[..<scheme.upperBound]) + String(url[url.index(after: at)...])
    }
}

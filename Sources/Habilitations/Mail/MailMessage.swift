public import Foundation

/// A message to send to a person (R4's identifier mail, R6's temporary
/// password mail). Its body may hold a temporary password: it is never
/// logged, and `description` leaves the body out.
public struct MailMessage: Sendable, CustomStringConvertible {
    public var to: String
    public var subject: String
    public var body: String
    public var date: Date

    public init(to: String, subject: String, body: String, date: Date) {
        self.to = to
        self.subject = subject
        self.body = body
        self.date = date
    }

    public var description: String { "MailMessage(to: \(to), subject: \(subject))" }

    /// RFC 5322 text with a UTF-8 body (quoted-printable would do too; 8bit is accepted by Maildir readers).
    public func rfc5322(from: String, messageID: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let encodedSubject = "=?UTF-8?B?\(Data(subject.utf8).base64EncodedString())?="
        return [
            "From: \(from)",
            "To: \(to)",
            "Subject: \(encodedSubject)",
            "Date: \(formatter.string(from: date))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
            "",
            body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n"),
        ].joined(separator: "\r\n")
    }
}

/// Where mail goes (R6: the administrator never sees the password; it is mailed).
public protocol MailTransport: Sendable {
    func send(_ message: MailMessage) async throws
}

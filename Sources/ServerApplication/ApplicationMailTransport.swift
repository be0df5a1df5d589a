public import Habilitations

/// How mails to people (R6 temporary passwords and recovery links, R9 identifiers) leave.
public enum ApplicationMailTransport: Sendable {
    /// Into the Maildir of `ApplicationSettings.mailFolder` (the default).
    case maildir
    /// Over SMTP submission (`--smtp-url`).
    case smtp(SMTPTransport.Configuration)
    /// Through a transport the caller made (a test's SMTP server, a failing transport).
    case custom(any MailTransport)
}

public import Foundation

/// The texts mailed to people, in French by default (the portal's language),
/// overridable: R9's identifier mail, R6's temporary password mail with
/// the tutorial's 24-hour warning, and R6's password recovery link (the
/// forgot-password request's answer: a link, the same token as a code, and
/// how long they stay good), and the help desk's line ending each of them.
/// Every text can be replaced from a folder (`MailTemplatesFolder.swift`).
public struct MailTemplates: Sendable {
    public var identifierSubject = "Votre identifiant Mon Compte Partenaire"
    public var identifierBody = """
        Bonjour {givenName} {sn},

        Un compte a été créé pour vous. Votre identifiant de connexion est : {identifier}

        Vous recevrez votre mot de passe dans un message séparé.

        Ce service professionnel est réservé aux seules personnes habilitées.
        """
    /// R6: added to the identifier mail of a person whose account opens later.
    public var identifierOpensLater = "Votre compte ouvrira le {openDate} : votre mot de passe temporaire vous sera envoyé ce jour-là, pour 24 heures."

    /// R9: the identifier mailed again on an administrator's request; announces no other mail.
    public var identifierReminderSubject = "Rappel de votre identifiant Mon Compte Partenaire"
    public var identifierReminderBody = """
        Bonjour {givenName} {sn},

        À la demande de votre administrateur, voici votre identifiant de connexion : {identifier}

        Votre mot de passe ne change pas. Si vous l'avez oublié, utilisez « Mot de passe oublié » sur l'écran de connexion.

        Ce service professionnel est réservé aux seules personnes habilitées.
        """
    public var temporaryPasswordSubject = "Votre mot de passe temporaire"
    public var temporaryPasswordBody = """
        Bonjour {givenName} {sn},

        Voici votre mot de passe temporaire pour l'identifiant {identifier} : {password}

        Attention : ce mot de passe doit être modifié dans les {hours} heures. Passé ce délai, il ne permettra plus d'ouvrir une session ; utilisez alors « Mot de passe oublié ».
        """

    public var recoveryLinkSubject = "Réinitialisation de votre mot de passe"
    public var recoveryLinkBody = """
        Bonjour {givenName} {sn},

        Une demande de nouveau mot de passe a été faite pour l'identifiant {identifier}.

        Pour choisir votre nouveau mot de passe, ouvrez ce lien :
        {link}

        ou saisissez ce code sur la page « Mot de passe oublié » : {code}

        Le lien et le code ne servent qu'une fois et sont valables {hours} heure(s). Votre mot de passe actuel reste valable tant que vous ne l'avez pas changé.

        Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : rien ne change pour votre compte.
        """

    /// The help desk's line ending every mail, when the operator configured one: `{contact}` is
    /// its phone, mailbox and hours joined, `{phone}`, `{mail}`, `{hours}` each alone.
    public var helpDeskFooter = "--\nCentre de Services : {contact}"

    public init() {}

    /// `message` ending with the help desk's contact.
    public func endingWith(_ helpDesk: HelpDesk, _ message: MailMessage) -> MailMessage {
        var message = message
        let contact = [helpDesk.phone, helpDesk.mail, helpDesk.hours].filter { !$0.isEmpty }.joined(separator: " — ")
        message.body += "\n\n" + fill(helpDeskFooter, ["contact": contact, "phone": helpDesk.phone, "mail": helpDesk.mail, "hours": helpDesk.hours])
        return message
    }

    public func identifier(to mail: String, identifier: String, sn: String, givenName: String, date: Date) -> MailMessage {
        MailMessage(to: mail, subject: identifierSubject,
                    body: fill(identifierBody, ["identifier": identifier, "sn": sn, "givenName": givenName]), date: date)
    }

    /// The identifier mail of a person whose account opens on `openDate` (25/08/2021): it says when the password comes.
    public func identifier(to mail: String, identifier: String, sn: String, givenName: String, opensOn openDate: String, date: Date) -> MailMessage {
        var message = self.identifier(to: mail, identifier: identifier, sn: sn, givenName: givenName, date: date)
        message.body += "\n\n" + fill(identifierOpensLater, ["openDate": openDate])
        return message
    }

    public func identifierReminder(to mail: String, identifier: String, sn: String, givenName: String, date: Date) -> MailMessage {
        MailMessage(to: mail, subject: identifierReminderSubject,
                    body: fill(identifierReminderBody, ["identifier": identifier, "sn": sn, "givenName": givenName]), date: date)
    }

    public func temporaryPassword(
        to mail: String, identifier: String, sn: String, givenName: String, password: String, validHours: Int, date: Date
    ) -> MailMessage {
        MailMessage(to: mail, subject: temporaryPasswordSubject,
                    body: fill(temporaryPasswordBody, [
                        "identifier": identifier, "sn": sn, "givenName": givenName, "password": password, "hours": String(validHours),
                    ]), date: date)
    }

    /// R6: the password recovery link; `link` and `code` carry the token, `hours` how long it is good.
    public func recoveryLink(
        to mail: String, identifier: String, sn: String, givenName: String, link: String, code: String, validHours: Int, date: Date
    ) -> MailMessage {
        MailMessage(to: mail, subject: recoveryLinkSubject,
                    body: fill(recoveryLinkBody, [
                        "identifier": identifier, "sn": sn, "givenName": givenName, "link": link, "code": code, "hours": String(validHours),
                    ]), date: date)
    }

    private func fill(_ template: String, _ values: [String: String]) -> String {
        values.reduce(template) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
    }
}

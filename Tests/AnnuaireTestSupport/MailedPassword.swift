import Foundation

/// R6 as a person meets it: the temporary password read from the last mail
/// the server delivered to an address (the French template's line
/// "… mot de passe temporaire pour l'identifiant X : PASSWORD").
extension RulesTestServer {
    public func mailedTemporaryPassword(to address: String) throws -> String {
        guard let mail = try maildir.delivered().last(where: { $0.contains("To: \(address)") && $0.contains("mot de passe temporaire pour") }) else {
            throw EmbeddedSlapdTestError("no temporary password was mailed to \(address)")
        }
        guard let line = mail.split(separator: "\r\n").first(where: { $0.contains("mot de passe temporaire pour") }),
              let password = line.split(separator: " ").last
        else {
            throw EmbeddedSlapdTestError("the mail to \(address) has no temporary password line")
        }
        return String(password)
    }
}

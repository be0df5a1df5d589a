import LibLDAP
import Foundation
import Messages
import Habilitations

/// R10's texts as the server holds them (`cn=usage-rules` and
/// `cn=legal-warning` under `ou=policies`), read anonymously or before binding.
struct UsageRulesText: Equatable {
    var rules: String
    var legalWarning: String

    /// Reads both entries; nil when the server does not hold them.
    static func read(_ client: DirectoryClient, base: String) throws -> UsageRulesText? {
        let layout = DirectoryLayout(suffix: base)
        guard let rules = try client.read(layout.usageRules, attributes: ["description"])?.string("description"),
              let warning = try client.read(layout.legalWarning, attributes: ["description"])?.string("description")
        else { return nil }
        return UsageRulesText(rules: rules, legalWarning: warning)
    }

    /// The text shown: the rules, then the warning.
    var display: String {
        rules + "\n\n" + CLIContext.texts.text(.headerLegalWarning) + "\n" + legalWarning + "\n"
    }

    /// A fingerprint of the texts (FNV-1a, 64 bits), so that changed rules are shown again.
    var fingerprint: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (rules + "\u{0}" + legalWarning).utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}

import Foundation
import Messages

/// R10 at an administrator's first login: the usage rules and the legal
/// warning are written to standard error the first time an identity binds
/// with this CLI, and again when their text changes. What was shown is
/// remembered per user account of this machine in
/// `~/.config/annuaire/acknowledged-rules` (or under `$XDG_CONFIG_HOME`):
/// one line per bind DN with the texts' fingerprint. Without a home folder
/// nothing can be remembered and nothing is shown (`annuaire rules` always shows them).
enum UsageRulesNotice {
    static func showOnFirstLogin(_ text: UsageRulesText, bindDN: String, context: CLIContext) {
        guard let folder = AnnuaireConfigFile.configFolder(environment: context.environment) else { return }
        let file = folder + "/acknowledged-rules"
        let line = "\(text.fingerprint) \(bindDN.lowercased())"
        let known = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        guard !known.split(separator: "\n").contains(where: { $0 == line }) else { return }
        context.errorOutput.write(text.display + context.catalogue.text(.usageRulesShownOnce) + "\n\n")
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try (known + line + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        } catch {
            context.errorOutput.write(context.catalogue(.warningRulesNotRemembered, ("file", file), ("reason", error.localizedDescription)) + "\n")
        }
    }
}

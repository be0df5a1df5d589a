import Foundation

/// The client settings of ldap.conf(5) and ldaprc files (`URI`, `BASE`,
/// `BINDDN`, `TLS_CACERT`), read as defaults below flags and the environment.
struct LDAPConfigurationFile {
    var settings: [String: String] = [:]

    /// ldap.conf(5)'s search order, lowest precedence first: the system file
    /// (or `$LDAPCONF`), then `ldaprc`/`.ldaprc` in the home and current
    /// folders (or `$LDAPRC`).
    static func standardPaths(environment: [String: String]) -> [String] {
        var paths = [environment["LDAPCONF"] ?? "/etc/ldap/ldap.conf"]
        let home = environment["HOME"] ?? NSHomeDirectory()
        let rcName = environment["LDAPRC"] ?? "ldaprc"
        paths += ["\(home)/\(rcName)", "\(home)/.\(rcName)", rcName]
        return paths
    }

    /// The settings of `paths`, later files overriding earlier ones; unreadable files are skipped.
    init(paths: [String]) {
        for path in paths {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            for line in text.split(whereSeparator: \.isNewline) {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
                let parts = trimmed.split(maxSplits: 1, whereSeparator: { $0 == " " || $0 == "\t" })
                guard parts.count == 2 else { continue }
                settings[parts[0].uppercased()] = parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
    }

    subscript(_ key: String) -> String? { settings[key] }
}

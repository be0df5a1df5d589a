public import Foundation

/// Where an installed Annuaire keeps its files (the GNU conventions that
/// `make install PREFIX=…` and the Debian package follow): the program in
/// `<prefix>/bin`, `Schema/` and `Fixtures/` in `<prefix>/share/annuaire`,
/// the configuration file in `<sysconfdir>/annuaire/annuaire.conf`, where
/// sysconfdir is `/etc` for the `/usr` prefix and `<prefix>/etc` otherwise.
/// A program run from a checkout (`.build/debug/annuaire`) is not installed
/// and reads no configuration file unless given `--config`.
public struct InstallationLayout: Sendable, Equatable {
    public var prefix: URL

    /// The layout of the running program, when it is installed.
    public static func ofRunningProgram() -> InstallationLayout? {
        guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        return InstallationLayout(executable: URL(fileURLWithPath: executable))
    }

    /// The layout around `executable`, when it sits in `<prefix>/bin` beside `<prefix>/share/annuaire/Schema`.
    public init?(executable: URL) {
        let bin = executable.deletingLastPathComponent()
        guard bin.lastPathComponent == "bin" else { return nil }
        let prefix = bin.deletingLastPathComponent()
        let schema = prefix.appendingPathComponent("share/annuaire/Schema/annuaire.ldif")
        guard FileManager.default.fileExists(atPath: schema.path) else { return nil }
        self.prefix = prefix
    }

    public var sysconfdir: URL {
        prefix.path == "/usr" ? URL(fileURLWithPath: "/etc") : prefix.appendingPathComponent("etc")
    }

    /// `/etc/annuaire/annuaire.conf` for the `/usr` prefix.
    public var configurationFile: URL { sysconfdir.appendingPathComponent("annuaire/annuaire.conf") }
}

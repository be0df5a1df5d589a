import AnnuaireTestSupport
import Foundation
import Testing

/// `annuaire serve --demo --portal-listen` as `make run` starts it: the banner prints the portal's
/// address, and opening it shows the login page with the legal warning (issue #17, "Done when").
@Suite(.serialized) struct ServePortalTests {
    /// The `annuaire` executable built next to the test bundle, if any.
    static var executable: String? {
        var folder = URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = folder.appendingPathComponent("annuaire").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }

    @Test(.enabled(if: ServePortalTests.executable != nil))
    func serveBannerPrintsThePortalAndItShowsTheLegalWarning() async throws {
        let executable = try #require(Self.executable)
        let folder = try TestDirectory.makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let ldapPort = try FreePort.pick()
        let portalPort = try FreePort.pick()
        let (serve, banner) = try await BackgroundProcess.start(executable, [
            "serve", "--demo", "--listen", "127.0.0.1:\(ldapPort)", "--ldaps", "none", "--data-dir", folder + "/data",
            "--portal-listen", "127.0.0.1:\(portalPort)",
        ], readyPrefix: "Portal Mon Compte Partenaire on ", timeoutSeconds: 60)
        do {
            #expect(banner.contains("https://127.0.0.1:\(portalPort)/"), "\(banner)")
            var page = ""
            for _ in 0..<50 {
                let answer = try await CommandLineTool.run("curl", ["-k", "-s", "https://127.0.0.1:\(portalPort)/connexion"])
                page = answer.output
                if page.contains("Godfrain") { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(page.contains("SÉCURITÉ"))
            #expect(page.contains("loi Godfrain"), "the legal warning, read from the directory")
            #expect(page.contains("name=\"identifiant\""))
        } catch {
            await serve.stop()
            throw error
        }
        await serve.stop()
    }
}

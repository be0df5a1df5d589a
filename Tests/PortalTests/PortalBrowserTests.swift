import AnnuaireTestSupport
import DirectoryServer
import Foundation
import Habilitations
import NIOSSL
import Portal
import Testing

/// The tutorial's story in headless Chromium (Tests/Interop/portal/tutorial_story.py, Selenium and
/// axe-core): login with the legal warning, the administrator's menu, groups and users lists,
/// a user created after a mistyped e-mail confirmation, the mailed temporary password and the
/// forced change (R6), Mon profil, another partner's administrator reaching nothing (R8), a form
/// without its CSRF token refused, an expired session sent back to login. Screenshots of every
/// screen go to portal-screenshots/ (not committed).
@Suite(.serialized) struct PortalBrowserTests {
    struct Report: Decodable {
        struct Step: Decodable { var name: String; var ok: Bool; var detail: String }
        struct Violation: Decodable { var screen: String; var id: String; var impact: String }
        var steps: [Step]
        var violations: [Violation]
        var error: String?
    }

    static var screenshots: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("portal-screenshots").path
    }

    @Test func tutorialStory() async throws {
        try await InteropProgram.requirePython(module: "selenium", install: "pip install selenium")
        try await InteropProgram.requirePython(module: "axe_selenium_python", install: "pip install axe-selenium-python")
        let driver = try await CommandLineTool.run("chromedriver", ["--version"])
        try #require(driver.status == 0, "no chromedriver: run `make test-deps` (apt-get install chromium chromium-driver)")
        let folder = try TestDirectory.makeTemporaryFolder("portal-tls")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (certificate, _) = try ServerCertificate.loadOrGenerateSelfSigned(in: URL(fileURLWithPath: folder), hostnames: ["127.0.0.1"])
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: certificate.certificateChain.map { .certificate($0) }, privateKey: .privateKey(certificate.privateKey))
        tls.minimumTLSVersion = .tlsv12
        let idle = 3.0
        try await TestServer.with { server in
            try await SecondPartner.add(to: server)
            let portal = try await RunningPortal.start(server: server, tls: tls)
            let short = try await RunningPortal.start(server: server, tls: tls, limits: SessionLimits(idleSeconds: idle, absoluteSeconds: 3600))
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Interop/portal/tutorial_story.py").path
            let report: Report
            do {
                report = try await InteropProgram.run(Report.self, "python3", [script], environment: [
                "PORTAL_URL": portal.url, "PORTAL_SHORT_URL": short.url, "IDLE_SECONDS": "\(idle)",
                "MAILDIR": server.directory.dataDirectory.root.appendingPathComponent("mail").path,
                "SCREENSHOTS": Self.screenshots, "ADMIN_ID": DemoDirectory.administratorIdentifier,
                "OTHER_ID": SecondPartner.administratorIdentifier, "OTHER_PASSWORD": SecondPartner.password,
                "DEMO_PASSWORD": DemoDirectory.password, "OPERATOR_ID": DemoDirectory.operatorName,
                ])
            } catch {
                await portal.stop()
                await short.stop()
                throw error
            }
            await portal.stop()
            await short.stop()
            for step in report.steps where !step.ok { Issue.record("\(step.name): \(step.detail)") }
            for violation in report.violations { Issue.record("axe \(violation.impact) \(violation.id) on \(violation.screen)") }
            #expect(report.error == nil, "\(report.error ?? "")")
            #expect(report.steps.count >= 40, "the story ran to its end (\(report.steps.count) steps)")
        }
    }
}

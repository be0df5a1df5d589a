import AnnuaireTestSupport
import Foundation
import Habilitations
import Testing

/// Apache httpd with mod_authnz_ldap (docs/integrations/apache.md): HTTP basic
/// authentication against Annuaire through the `apache` application account
/// (created with `annuaire application create`, scoped to CDAP), and
/// `Require ldap-group` on the effective group T1, which mod_authnz_ldap
/// checks with an LDAP Compare of `member`.
@Suite("Recipe: Apache httpd mod_authnz_ldap")
struct ApacheRecipeTests {
    static let modules = "/usr/lib/apache2/modules"

    /// The generated site: its configuration, the password file and the document.
    struct Site {
        var folder: String
        var port: Int

        var url: String { "http://127.0.0.1:\(port)/cdap/index.html" }

        static func write(in folder: String, port: Int, ldapURL: String, account: ApplicationAccount, layout: DirectoryLayout) throws -> Site {
            let manager = FileManager.default
            // apache2 runs its children as www-data: the document and the run folder must be reachable.
            try manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder)
            for sub in ["htdocs/cdap", "run", "logs"] {
                try manager.createDirectory(atPath: "\(folder)/\(sub)", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
            }
            try Data("Consulter Dossier\n".utf8).write(to: URL(fileURLWithPath: "\(folder)/htdocs/cdap/index.html"))
            // The bind password never appears in the configuration: `exec:` reads it from a root-only file.
            let secret = try Recipe.writeSecret(account.password + "\n", folder: folder, name: "apache.secret")
            let configuration = """
                ServerRoot "\(folder)"
                ServerName 127.0.0.1
                Listen 127.0.0.1:\(port)
                PidFile \(folder)/run/httpd.pid
                DefaultRuntimeDir \(folder)/run
                ErrorLog \(folder)/logs/error.log
                LogLevel warn authnz_ldap:debug
                User www-data
                Group www-data
                LoadModule mpm_event_module \(ApacheRecipeTests.modules)/mod_mpm_event.so
                LoadModule authn_core_module \(ApacheRecipeTests.modules)/mod_authn_core.so
                LoadModule authz_core_module \(ApacheRecipeTests.modules)/mod_authz_core.so
                LoadModule auth_basic_module \(ApacheRecipeTests.modules)/mod_auth_basic.so
                LoadModule ldap_module \(ApacheRecipeTests.modules)/mod_ldap.so
                LoadModule authnz_ldap_module \(ApacheRecipeTests.modules)/mod_authnz_ldap.so
                DocumentRoot "\(folder)/htdocs"
                # No caching of searches, binds and compares: a change in Annuaire counts at the next request.
                LDAPCacheEntries 0
                LDAPOpCacheEntries 0
                LDAPConnectionTimeout 10

                <Location "/cdap">
                    AuthType Basic
                    AuthName "Consulter Dossier"
                    AuthBasicProvider ldap
                    AuthLDAPURL "\(ldapURL)/\(layout.people)?uid?one?(objectClass=inetOrgPerson)"
                    AuthLDAPBindDN "\(account.dn)"
                    AuthLDAPBindPassword "exec:/bin/cat \(secret)"
                    AuthLDAPGroupAttribute member
                    AuthLDAPGroupAttributeIsDN on
                    AuthLDAPMaxSubGroupDepth 0
                    Require ldap-group \(Recipe.t1Group)
                </Location>

                """
            try Data(configuration.utf8).write(to: URL(fileURLWithPath: "\(folder)/httpd.conf"))
            return Site(folder: folder, port: port)
        }

        /// The HTTP status for a request with these basic credentials (curl reads them from stdin, not argv).
        func status(_ user: String, _ password: String) async throws -> Int {
            let result = try await CommandLineTool.run(
                "curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "20", "-K", "-", url],
                input: "user = \"\(user):\(password)\"\n")
            try #require(result.status == 0, "curl failed: \(result.error)")
            return try #require(Int(result.output), "curl printed \(result.output)")
        }

        var errorLog: String { (try? String(contentsOfFile: "\(folder)/logs/error.log", encoding: .utf8)) ?? "" }
    }

    @Test("basic auth with Require ldap-group T1: a member gets 200; a wrong password, the closed user, an expired temporary password and a non-member get 401; added to T1, the non-member gets 200")
    func apacheBasicAuthWithLDAPGroup() async throws {
        try Recipe.requireFile("/usr/sbin/apache2", package: "apache2")
        try Recipe.requireFile("\(Self.modules)/mod_authnz_ldap.so", package: "apache2")
        let curl = try await CommandLineTool.run("curl", ["--version"])
        try #require(curl.status == 0, "curl is missing: run `make test-deps` (apt-get install curl)")
        let clock = ManualClock(Date())
        try await Recipe.withServer(clock: clock) { server in
            let layout = server.directory.layout
            let apache = try await ApplicationAccount.create(server, name: "apache")
            let folder = try Recipe.temporaryFolder("apache")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let site = try Site.write(in: folder, port: try RecipeDaemon.freePort(), ldapURL: server.url, account: apache, layout: layout)
            let httpd = try RecipeDaemon(
                "/usr/sbin/apache2", ["-f", "\(folder)/httpd.conf", "-DFOREGROUND"], logPath: "\(folder)/logs/console.log")
            do {
                let listening = await RecipeDaemon.waitForListener(port: site.port)
                try #require(listening, "apache2 did not start: \(httpd.output)\n\(site.errorLog)")

                // Allowed: an effective member of T1.
                #expect(try await site.status("XXX0606XX06", Recipe.password) == 200, "\(site.errorLog)")
                // Refused: a wrong password, the closed user (R7).
                #expect(try await site.status("XXX0606XX06", "wrong-password") == 401)
                #expect(try await site.status(DemoDirectory.closedUserIdentifier, Recipe.password) == 401)
                // Refused: an expired temporary password (R6), 24 hours and a minute after it was issued.
                let dupont = layout.user("XXX0606XX08")
                try await TemporaryPasswords.reset(server, dupont)
                let temporary = try TemporaryPasswords.mailed(in: server, to: "n.dupont@partenaire.fr")
                clock.advance(by: 24 * 3600 + 60)
                #expect(try await site.status("XXX0606XX08", temporary) == 401)
                // Refused: the administrator holds no CDAP profile (not in T1), so the apache account does not even find her.
                let administrator = DemoDirectory.administratorIdentifier
                #expect(try await site.status(administrator, Recipe.password) == 401)

                // Her administrator adds her to T1 (a membership, R5): the next request is let in.
                let membership = """
                    dn: annMemberUid=\(administrator),\(Recipe.t1Group)
                    changetype: add
                    objectClass: annMembership
                    annMemberUid: \(administrator)
                    annMember: \(layout.user(administrator))

                    """
                let added = try await CommandLineTool.run(
                    "ldapmodify", ["-x", "-H", server.url, "-D", layout.user(administrator), "-w", Recipe.password], input: membership)
                try #require(added.status == 0, "adding the membership: \(added.error)")
                #expect(try await site.status(administrator, Recipe.password) == 200, "\(site.errorLog)")
            } catch {
                await httpd.stop()
                throw error
            }
            await httpd.stop()
        }
    }
}

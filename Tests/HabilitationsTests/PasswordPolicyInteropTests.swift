import AnnuaireTestSupport
import Foundation
import Habilitations
import LDAPProtocol
import Testing

/// R6, R7 and the lockout policy as clients read them: the password policy
/// response control (draft-behera-ldap-password-policy §6.2) decoded by
/// python-ldap's own `PasswordPolicyControl` and by a JNDI program binding
/// as Keycloak does, side by side with what `ldapwhoami -e ppolicy` prints
/// for the same account in the same state.
@Suite("The password policy control as python-ldap, JNDI and ldap-utils read it (R6, R7)")
struct PasswordPolicyInteropTests {
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Interop/python/python_ldap_ppolicy.py").path
    static let jndiProgram = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Interop/java/PasswordPolicyBind.java").path

    /// What JNDI saw for one bind.
    struct JNDIBind: Decodable {
        var dn: String
        var result: Int
        var control_present: Bool
        var error: String?
    }

    /// Binds each (DN, password) with JNDI and the ppolicy request control, in one JVM.
    static func jndi(_ server: TestServer, _ binds: [(String, String)]) async throws -> [JNDIBind] {
        let run = try await CommandLineTool.run(
            "java", [jndiProgram], input: binds.map { "\($0.0)\t\($0.1)\n" }.joined(), environment: ["LDAP_URL": server.url])
        try #require(run.status == 0, "PasswordPolicyBind.java failed: \(run.error)")
        return try JSONDecoder().decode([JNDIBind].self, from: Data(run.output.utf8))
    }

    /// What ldapwhoami prints for each ppolicy error (libldap's ldap_passwordpolicy_err2txt).
    static let ldapUtilsText = [
        "passwordExpired": "Password expired", "accountLocked": "Account locked", "changeAfterReset": "Password must be changed",
    ]

    struct Report: Decodable {
        struct Policy: Decodable {
            var present: Bool
            var error: String?
            var time_before_expiration: Int?
        }
        struct Outcome: Decodable {
            var result: Int?
            var policy: Policy
        }
        var bind: Outcome
        var modify: Outcome?
    }

    static func python(_ server: TestServer, _ arguments: [String], password: String) async throws -> Report {
        let run = try await CommandLineTool.run("python3", [script] + arguments, environment: [
            "LDAP_URL": server.url, "USER_PASSWORD": password, "PYTHONDONTWRITEBYTECODE": "1",
        ])
        // Its exit status is the result code of its last operation (as ldapwhoami's), 2 for a failure of its own.
        let report: Report
        do {
            report = try JSONDecoder().decode(Report.self, from: Data(run.output.utf8))
        } catch {
            throw EmbeddedSlapdTestError("python_ldap_ppolicy.py printed no report (exit status \(run.status)): \(run.error)")
        }
        let last = report.modify?.result ?? report.bind.result
        #expect(Int(run.status) == last ?? -1, "python_ldap_ppolicy.py exited \(run.status) for result \(String(describing: last)): \(run.error)")
        return report
    }

    /// Binds with both clients and checks they see the same result and the same policy error; returns python's view.
    @discardableResult
    static func bothAgree(_ server: TestServer, _ dn: String, _ password: String, expect code: Int, error: String?) async throws -> Report {
        let report = try await python(server, ["bind", dn], password: password)
        #expect(report.bind.result == code, "python-ldap bind of \(dn)")
        #expect(report.bind.policy.error == error, "python-ldap ppolicy error for \(dn)")
        let utils = try await CommandLineTool.run("ldapwhoami", ["-x", "-H", server.url, "-D", dn, "-w", password, "-e", "ppolicy"])
        #expect(Int(utils.status) == code, "ldapwhoami for \(dn): \(utils.error)")
        let printed = utils.output + utils.error
        for (name, text) in ldapUtilsText {
            #expect(printed.contains(text) == (name == error), "ldapwhoami for \(dn) printed: \(printed)")
        }
        return report
    }

    @Test("python-ldap decodes changeAfterReset, mustSupplyOldPassword and passwordExpired where ldapwhoami prints them, never accountLocked, JNDI reads changeAfterReset and the same result codes; wrong and closed answer 49 alike")
    func sameAnswers() async throws {
        let check = try await CommandLineTool.run("python3", ["-c", "import ldap.controls.ppolicy"])
        try #require(check.status == 0, "python-ldap is missing: run `make test`, whose deps step installs it. \(check.error)")
        let clock = ManualClock(Date())
        try await TestServer.with(clock: clock) { server in
            let layout = server.directory.layout
            // A temporary password: success with changeAfterReset.
            let reset = try await CommandLineTool.run("ldappasswd", [
                "-x", "-H", server.url, "-D", layout.operatorAccount(DemoDirectory.operatorName), "-w", DemoDirectory.password, layout.user("XXX0606XX07"),
            ])
            #expect(reset.status == 0, "\(reset.error)")
            let temporary = try server.mailedTemporaryPassword(to: "j.lacroix@partenaire.fr")
            try await Self.bothAgree(server, layout.user("XXX0606XX07"), temporary, expect: 0, error: "changeAfterReset")
            let jndiTemporary = try await Self.jndi(server, [(layout.user("XXX0606XX07"), temporary)])
            #expect(jndiTemporary.first?.result == 0)
            #expect(jndiTemporary.first?.control_present == true)
            #expect(jndiTemporary.first?.error == "changeAfterReset")
            // Replacing it without the current value: 19 with mustSupplyOldPassword.
            let replace = try await Self.python(server, ["replace", layout.user("XXX0606XX07"), "Nouveau-Mot-2026!"], password: temporary)
            #expect(replace.modify?.result == 19)
            #expect(replace.modify?.policy.error == "mustSupplyOldPassword")

            // A wrong password, an unknown DN: 49 and no policy error.
            let wrong = try await Self.bothAgree(server, layout.user("XXX0606XX06"), "not-the-password", expect: 49, error: nil)
            let unknown = try await Self.bothAgree(server, layout.user("XXX0606XX99"), "not-the-password", expect: 49, error: nil)
            // The same (empty) policy control for both (issue #14 finding 5).
            #expect(wrong.bind.policy.present && unknown.bind.policy.present)
            // A closed user (R7) with the right password: 49 and no policy error, like a wrong password.
            let closed = try await Self.bothAgree(server, layout.user(DemoDirectory.closedUserIdentifier), DemoDirectory.password, expect: 49, error: nil)
            #expect(closed.bind.policy.present)

            // Locked after 5 failures (the demo lockout policy): 49 and no policy error, like a wrong password
            // (slapd says accountLocked before it checks the password; Annuaire never passes it on).
            for attempt in 1...5 {
                let failure = try await CommandLineTool.run("ldapwhoami", ["-x", "-H", server.url, "-D", layout.user("XXX0606XX10"), "-w", "wrong-password"])
                #expect(failure.status == 49, "wrong password, attempt \(attempt): \(failure.error)")
            }
            let locked = try await Self.bothAgree(server, layout.user("XXX0606XX10"), DemoDirectory.password, expect: 49, error: nil)
            #expect(locked.bind.policy.present)
            // JNDI: the same codes (it exposes no controls on a failed bind); a plain user binds with no policy error.
            let jndiFailures = try await Self.jndi(server, [
                (layout.user("XXX0606XX06"), "not-the-password"), (layout.user("XXX0606XX99"), "not-the-password"),
                (layout.user(DemoDirectory.closedUserIdentifier), DemoDirectory.password), (layout.user("XXX0606XX10"), DemoDirectory.password),
                (layout.user("XXX0606XX08"), DemoDirectory.password),
            ])
            #expect(jndiFailures.map(\.result) == [49, 49, 49, 49, 0])
            #expect(jndiFailures.last?.error == nil)

            // The temporary password 24 hours and one second after slapd set it: 49 with passwordExpired.
            let changed = try #require(try await server.directory.store.read(layout.user("XXX0606XX07"), attributes: ["pwdChangedTime"]))
            let setAt = try #require(changed.attributes.first?.values.first.flatMap { GeneralizedTime.date(String(decoding: $0, as: UTF8.self)) })
            clock.set(setAt.addingTimeInterval(24 * 3600 - 1))
            try await Self.bothAgree(server, layout.user("XXX0606XX07"), temporary, expect: 0, error: "changeAfterReset")
            clock.set(setAt.addingTimeInterval(24 * 3600 + 1))
            try await Self.bothAgree(server, layout.user("XXX0606XX07"), temporary, expect: 49, error: "passwordExpired")
            #expect(try await Self.jndi(server, [(layout.user("XXX0606XX07"), temporary)]).map(\.result) == [49])
        }
    }

    @Test("with password aging set in slapd's policy, a bind's control carries slapd's timeBeforeExpiration warning to python-ldap and ldapwhoami")
    func expirationWarning() async throws {
        try await TestServer.with { server in
            let layout = server.directory.layout
            let policy = try await server.directory.store.modify(dn: "cn=default,ou=policies,\(layout.suffix)", changes: [
                .init(operation: .replace, modification: PartialAttribute(type: "pwdMaxAge", strings: ["86400"])),
                .init(operation: .replace, modification: PartialAttribute(type: "pwdExpireWarning", strings: ["90000"])),
            ], controls: [])
            #expect(policy.result.code == .success, "\(policy.result.diagnosticMessage)")
            // The person changes its own password (slapd records pwdChangedTime; aging counts from it).
            let fresh = "Nouveau-Mot-2026!"
            let change = try await CommandLineTool.run("ldappasswd", [
                "-x", "-H", server.url, "-D", layout.user("XXX0606XX06"), "-w", DemoDirectory.password, "-a", DemoDirectory.password, "-s", fresh,
            ])
            #expect(change.status == 0, "\(change.output)\(change.error)")
            let report = try await Self.python(server, ["bind", layout.user("XXX0606XX06")], password: fresh)
            #expect(report.bind.result == 0)
            #expect(report.bind.policy.error == nil)
            let seconds = try #require(report.bind.policy.time_before_expiration)
            #expect(seconds > 0 && seconds <= 86400, "\(seconds)")
            let utils = try await CommandLineTool.run("ldapwhoami", [
                "-x", "-H", server.url, "-D", layout.user("XXX0606XX06"), "-w", fresh, "-e", "ppolicy",
            ])
            #expect(utils.status == 0)
            #expect((utils.output + utils.error).contains("expire"), "\(utils.output)\(utils.error)")
        }
    }
}

import AnnuaireTestSupport
import Foundation
import Habilitations
import Testing

/// Issue #16 "done when": the tutorial's group screen with the CLI alone —
/// a group created, its roles added and removed (R3), its label changed
/// (R2), a member attached, its period ended and the member attached again
/// (R5), the group closed and reopened (R7) — each change in `history` with
/// its old and new values (R11).
@Suite("CLI: the group screen as workflows (R2, R3, R5, R7, R11)")
struct GroupScreenWorkflowTests {
    /// The operator grants CDAP/T2 to the demo convention, so that a role can be added.
    static func grantT2(_ server: some RulesTestServer) async throws {
        let layout = server.layout
        let result = try await CommandLineTool.run(
            "ldapmodify", ["-x", "-H", server.url, "-D", layout.operatorAccount(DemoDirectory.operatorName), "-w", DemoDirectory.password],
            input: "dn: \(CLI.convention)\nchangetype: modify\nadd: annGrantedProfile\nannGrantedProfile: cn=T2,cn=CDAP,\(layout.services)\n")
        #expect(result.status == 0, "\(result.error)")
    }

    static func groups(_ cli: CLI, _ identifier: String) async throws -> [String] {
        let shown = await cli("user", "show", identifier, "--format", "json")
        return try JSONReader.object(shown.output)["groups"] as? [String] ?? []
    }

    @Test("group create/modify/close/reopen and membership add/close/add again, each visible in history with old and new values")
    func groupScreen() async throws {
        try await InMemoryServer.with { (server: InMemoryServer) async throws in
            try await Self.grantT2(server)
            let cli = CLI(server)
            let created = await cli("group", "create", "T1B", "--label", "CDAP T1 bis", "--responsible", "XXX0606XX01", "--role", "CDAP/T1")
            #expect(created.status == 0, "\(created.error)")

            // R3: roles added and removed in one change; a profile the convention does not grant is refused.
            let modified = await cli("group", "modify", "T1B", "--add-role", "CDAP/T2", "--remove-role", "CDAP/T1", "--label", "CDAP T2", "--format", "json")
            #expect(modified.status == 0, "\(modified.error)")
            let group = try JSONReader.object(modified.output)
            #expect(group["roles"] as? [String] == ["CDAP/T2"])
            #expect(group["label"] as? String == "CDAP T2")
            // Adding a role it has and removing one it lacks change nothing (no LDAP 20 or 16).
            #expect(await cli("group", "modify", "T1B", "--add-role", "CDAP/T2", "--remove-role", "CDAP/T1").status == 0)
            let ungranted = await cli("group", "modify", "T1B", "--add-role", "SUPCDAP/SUPERVISEUR")
            #expect(ungranted.status == 65)
            #expect(ungranted.error.contains("R3"), "\(ungranted.error)")
            // R2: the responsible and the parent change; a parent that is the group itself is refused.
            #expect(await cli("group", "modify", "T1B", "--responsible", "XXX0606XX07", "--parent", "T1").status == 0)
            let own = await cli("group", "modify", "T1B", "--parent", "T1B")
            #expect(own.status == 65 && own.error.contains("R2"), "\(own.error)")
            let level = try JSONReader.object((await cli("group", "show", "T1B", "--format", "json")).output)
            #expect(level["level"] as? String == "2")
            #expect(await cli("group", "modify", "T1B", "--parent", "aucun").status == 0)

            // R5: attached, ended today, a later close date never reopens the ended period, attached again.
            let attached = await cli("membership", "add", "XXX0606XX11", "--group", "T1B")
            #expect(attached.status == 0, "\(attached.error)")
            #expect(try await Self.groups(cli, "XXX0606XX11").contains("T1B"))
            #expect(await cli("membership", "close", "XXX0606XX11", "--group", "T1B").status == 0)
            #expect(try await !Self.groups(cli, "XXX0606XX11").contains("T1B"))
            let reopen = await cli("membership", "close", "XXX0606XX11", "--group", "T1B", "--close-date", DashboardCommandDates.inDays(30))
            #expect(reopen.status == 65)
            #expect(reopen.error.contains("R5"), "\(reopen.error)")
            let again = await cli("membership", "add", "XXX0606XX11", "--group", "T1B")
            #expect(again.status == 0, "\(again.error)")
            #expect(again.output.contains("de nouveau"), "\(again.output)")
            #expect(try await Self.groups(cli, "XXX0606XX11").contains("T1B"))
            // A membership still in force is not attached twice: 68, with what to do instead.
            let twice = await cli("membership", "add", "XXX0606XX11", "--group", "T1B")
            #expect(twice.status == 65)
            #expect(twice.error.contains("R5") && twice.error.contains("entryAlreadyExists"), "\(twice.error)")

            // R7: closing the group takes it out of its members' groups; reopening brings it back.
            #expect(await cli("group", "close", "T1B").status == 0)
            #expect(try await !Self.groups(cli, "XXX0606XX11").contains("T1B"))
            #expect(await cli("group", "reopen", "T1B").status == 0)
            #expect(try await Self.groups(cli, "XXX0606XX11").contains("T1B"))

            // R11: every step, with its old and new values.
            let history = await cli("history", "--group", "T1B", "--format", "json")
            #expect(history.status == 0, "\(history.error)")
            let events = try JSONReader.array(history.output)
            let actions = events.compactMap { $0["action"] as? String }
            #expect(actions == ["add", "modify", "modify", "modify", "add", "close", "reattach", "close", "reopen"], "\(actions)")
            let roleChange = (events[1]["changes"] as? [String]) ?? []
            #expect(roleChange.contains("Rôles : +CDAP/T2 −CDAP/T1"), "\(roleChange)")
            #expect(roleChange.contains("Libellé : CDAP T1 bis → CDAP T2"), "\(roleChange)")
            let reattach = (events[6]["changes"] as? [String]) ?? []
            #expect(reattach.contains { $0.hasPrefix("Date de clôture : ") && $0.hasSuffix(" → ∅") }, "\(reattach)")
            // The person's history lists its memberships' events.
            let person = try JSONReader.array((await cli("history", "--user", "XXX0606XX11", "--format", "json")).output)
            #expect(person.compactMap { $0["action"] as? String }.suffix(3) == ["add", "close", "reattach"], "\(person)")
            // Times in the reader's zone, marked.
            let table = await cli("history", "--group", "T1B")
            #expect(table.output.contains("(Europe/Paris)"), "\(table.output)")
            #expect(table.output.contains("Nouveau rattachement"))
            let utc = await cli("history", "--group", "T1B", "--time-zone", "UTC")
            #expect(utc.output.contains("(UTC)"))
        }
    }

    @Test("R5: a pending membership's open date changes; a started one's does not")
    func pendingOpenDate() async throws {
        try await InMemoryServer.with { (server: InMemoryServer) async throws in
            let cli = CLI(server)
            #expect(await cli("group", "create", "LATER", "--label", "Plus tard", "--responsible", "XXX0606XX01", "--role", "CDAP/T1").status == 0)
            let pending = await cli("membership", "add", "XXX0606XX10", "--group", "LATER", "--open-date", DashboardCommandDates.inDays(10))
            #expect(pending.status == 0, "\(pending.error)")
            let moved = await cli("membership", "modify", "XXX0606XX10", "--group", "LATER", "--open-date", DashboardCommandDates.inDays(5))
            #expect(moved.status == 0, "\(moved.error)")
            let listed = await cli("membership", "list", "--group", "LATER", "--format", "json")
            #expect(listed.output.contains(DashboardCommandDates.inDays(5)), "\(listed.output)")
            let started = await cli("membership", "modify", "XXX0606XX11", "--group", "T1", "--open-date", DashboardCommandDates.inDays(3))
            #expect(started.status == 65)
            #expect(started.error.contains("R5"), "\(started.error)")
            // A close date in the future closes on that date: still a member today.
            #expect(await cli("membership", "close", "XXX0606XX10", "--group", "LATER", "--close-date", DashboardCommandDates.inDays(20)).status == 0)
            let history = try JSONReader.array((await cli("history", "--user", "XXX0606XX10", "--format", "json")).output)
            #expect(history.compactMap { $0["action"] as? String }.suffix(3) == ["add", "modify", "close"], "\(history)")
        }
    }
}

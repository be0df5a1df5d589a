import AnnuaireTestSupport
import Foundation
import Testing

/// `user modify` (R4 checked by the server), `history` (R11) and `dashboard`
/// (the portal's "Mes tableaux de bord") from the terminal.
@Suite("CLI: modify, history, dashboard")
struct ModifyHistoryDashboardTests {
    @Test("user modify changes the phone (typed twice) and the work mode; a shared mailbox exits 65 with R4; differing confirmations exit 64")
    func modify() async throws {
        try await InMemoryServer.with { (server: InMemoryServer) async throws in
            let cli = CLI(server)
            let changed = await cli("user", "modify", "XXX0606XX11", "--phone", "07 00 02 00 01", "--phone-confirmation", "07 00 02 00 01",
                                    "--work-mode", "itinerant", "--format", "json")
            #expect(changed.status == 0, "\(changed.error)")
            let user = try JSONReader.object(changed.output)
            #expect(user["telephone"] as? String == "07 00 02 00 01")
            #expect(user["workMode"] as? String == "itinerant")

            let shared = await cli("user", "modify", "XXX0606XX11", "--mail", "contact@partenaire.fr", "--mail-confirmation", "contact@partenaire.fr")
            #expect(shared.status == 65)
            #expect(shared.error.contains("R4 :"), "\(shared.error)")
            let differ = await cli("user", "modify", "XXX0606XX11", "--mail", "a@partenaire.fr", "--mail-confirmation", "b@partenaire.fr")
            #expect(differ.status == 64)
            let nothing = await cli("user", "modify", "XXX0606XX11")
            #expect(nothing.status == 64)
            let renamed = await cli("user", "modify", "XXX0606XX11", "--last-name", "LAGARDE", "--format", "json")
            #expect(try JSONReader.object(renamed.output)["lastName"] as? String == "LAGARDE")
        }
    }

    @Test("history lists the administrator's create-user, modify and reset-password on XXX0606XX12, in order, with the actor")
    func history() async throws {
        // The server stamps events with a controlled clock (10/03/2026 10:00 UTC), so the day the
        // test asks about is that one, whatever the wall clock says (and across midnight).
        let clock = ManualClock(Date(timeIntervalSince1970: 1_773_136_800))
        try await InMemoryServer.with(clock: clock) { (server: InMemoryServer) async throws in
            let cli = CLI(server)
            let created = await cli(
                "user", "create", "--last-name", "LAGARE", "--first-name", "Xavier", "--mail", "x.lagare2@partenaires.fr",
                "--mail-confirmation", "x.lagare2@partenaires.fr", "--group", "T1", "--work-mode", "sedentary")
            #expect(created.status == 0, "\(created.error)")
            clock.advance(by: 60)
            #expect(await cli("user", "modify", "XXX0606XX12", "--work-mode", "itinerant").status == 0)
            clock.advance(by: 60)
            #expect(await cli("user", "reset-password", "XXX0606XX12").status == 0)
            let history = await cli("history", "--user", "XXX0606XX12", "--since", "10/03/2026", "--until", "10/03/2026", "--format", "csv", "--csv-style", "rfc4180")
            #expect(history.status == 0, "\(history.error)")
            let events = CSVReader.records(history.output)
            #expect(events.map { $0["action"] } == ["create-user", "modify", "reset-password"], "\(history.output)")
            #expect(events.allSatisfy { $0["actor"] == "XXX0606XX01" && $0["conventions"] == "CONV-0606-001" })
            let table = await cli("history", "--action", "create-user")
            #expect(table.output.hasPrefix("Date"))
            #expect(table.output.contains("XXX0606XX12"))
            let none = await cli("history", "--user", "XXX0606XX12", "--until", "09/03/2026", "--format", "json")
            #expect(try JSONReader.array(none.output).isEmpty)
            let later = await cli("history", "--user", "XXX0606XX12", "--since", "11/03/2026", "--format", "json")
            #expect(try JSONReader.array(later.output).isEmpty)
        }
    }

    @Test("dashboard: 6 open and 1 closed user; a membership ending within 30 days, a temporary password not replaced and an empty group appear")
    func dashboard() async throws {
        try await InMemoryServer.with { (server: InMemoryServer) async throws in
            let cli = CLI(server)
            let before = try JSONReader.object((await cli("dashboard", "--format", "json")).output)
            #expect(before["convention"] as? String == "CONV-0606-001")
            #expect(before["openUsers"] as? String == "6")
            #expect(before["closedUsers"] as? String == "1")
            #expect(before["membershipsEnding"] as? [String] == [])
            #expect(before["groupsWithoutMembers"] as? [String] == [])

            #expect(await cli("group", "create", "EMPTY", "--label", "Sans membre", "--responsible", "XXX0606XX01").status == 0)
            let soon = DashboardCommandDates.inDays(10)
            #expect(await cli("membership", "close", "XXX0606XX07", "--group", "T1", "--close-date", soon).status == 0)
            #expect(await cli("user", "reset-password", "XXX0606XX10").status == 0)
            let after = await cli("dashboard")
            #expect(after.status == 0, "\(after.error)")
            #expect(after.output.contains("Groupes sans membre"))
            let json = try JSONReader.object((await cli("dashboard", "--format", "json")).output)
            #expect((json["membershipsEnding"] as? [String])?.first?.hasPrefix("T1/XXX0606XX07") == true, "\(json)")
            #expect(json["temporaryPasswords"] as? [String] == ["XXX0606XX10"])
            #expect(json["groupsWithoutMembers"] as? [String] == ["EMPTY"])
        }
    }
}

/// Dates relative to today, as the CLI accepts them.
enum DashboardCommandDates {
    static func inDays(_ days: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let day = calendar.date(byAdding: .day, value: days, to: calendar.startOfDay(for: Date())) ?? Date()
        let parts = calendar.dateComponents([.year, .month, .day], from: day)
        return String(format: "%04d-%02d-%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }
}

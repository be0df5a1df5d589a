import AnnuaireTestSupport
import Foundation
import Testing

/// Bulk onboarding (R4, R5, R8): `user import` checks every line before it
/// creates anything, names each bad line's field and rule, applies nothing
/// while one is bad, and `user export` writes the format it reads.
@Suite("CLI: bulk import and export")
struct BulkImportTests {
    /// A CSV of `count` users for group T1, with the lines in `bad` (file line numbers) broken as `breakLine` says.
    static func usersCSV(count: Int, breakLine: (Int) -> (mail: String, confirmation: String, workMode: String)?) -> String {
        var text = "lastName,firstName,mail,mailConfirmation,telephone,workMode,group\n"
        for index in 0..<count {
            let line = index + 2
            var mail = "agent\(index).import@partenaire.fr"
            var confirmation = mail
            var workMode = index % 2 == 0 ? "sedentary" : "itinerant"
            if let broken = breakLine(line) { (mail, confirmation, workMode) = broken }
            text += "AGENT\(index),Prénom \(index),\(mail),\(confirmation),04 00 00 \(String(format: "%02d", index % 100)) 00,\(workMode),T1\n"
        }
        return text
    }

    /// The three broken lines of the acceptance test: a shared mailbox, differing confirmations, an unknown work mode.
    static func broken(_ line: Int) -> (mail: String, confirmation: String, workMode: String)? {
        switch line {
        case 101: ("contact@partenaire.fr", "contact@partenaire.fr", "sedentary")
        case 502: ("a.b@partenaire.fr", "a.c@partenaire.fr", "sedentary")
        case 903: ("x.y@partenaire.fr", "x.y@partenaire.fr", "nomade")
        default: nil
        }
    }

    /// How many users the operator sees under ou=people, counted with ldapsearch (paged past the size limit).
    static func countUsers(_ server: TestServer) async throws -> Int {
        let result = try await CommandLineTool.run("ldapsearch", [
            "-x", "-LLL", "-H", server.url, "-D", "uid=operateur,ou=operators,dc=annuaire,dc=local", "-w", DemoPassword.value,
            "-E", "pr=200/noprompt", "-b", "ou=people,dc=annuaire,dc=local", "(objectClass=annUser)", "1.1",
        ])
        guard result.status == 0 else { throw EmbeddedSlapdTestError("ldapsearch failed: \(result.error)") }
        return result.output.split(separator: "\n").filter { $0.hasPrefix("dn: ") }.count
    }

    @Test("a 1,000-line CSV with 3 bad lines: the dry run names lines 101, 502, 903 with field and rule; the real import creates nothing; fixed, all 1,000 users exist", .timeLimit(.minutes(20)))
    func thousandLines() async throws {
        try await TestServer.with { (server: TestServer) async throws in
            let folder = try TestDirectory.makeTemporaryFolder("cli-import")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let file = folder + "/users.csv"
            try Self.usersCSV(count: 1000, breakLine: Self.broken).write(toFile: file, atomically: true, encoding: .utf8)
            let before = try await Self.countUsers(server)
            #expect(before == 7)
            let cli = CLI(server)

            let dryRun = await cli("user", "import", file, "--dry-run", "--format", "csv", "--csv-style", "rfc4180")
            #expect(dryRun.status == 65, "\(dryRun.error)")
            let report = CSVReader.records(dryRun.output)
            #expect(report.map { $0["line"] } == ["101", "502", "903"], "\(dryRun.output)")
            #expect(report.map { $0["field"] } == ["mail", "mailConfirmation", "workMode"])
            #expect(report.allSatisfy { $0["rule"] == "R4" })
            #expect(report.first?["message"]?.contains("boîte partagée") == true)
            #expect(dryRun.error.contains("3 lignes sur 1000 enfreignent une règle (lignes 101, 502, 903)"), "\(dryRun.error)")
            #expect(try await Self.countUsers(server) == before)

            let refused = await cli("user", "import", file)
            #expect(refused.status == 65)
            #expect(refused.error.contains("ligne 502, champ mailConfirmation, règle R4"), "\(refused.error)")
            #expect(refused.error.contains("rien n'a été créé"))
            #expect(refused.output.isEmpty)
            #expect(try await Self.countUsers(server) == before)

            try Self.usersCSV(count: 1000, breakLine: { _ in nil }).write(toFile: file, atomically: true, encoding: .utf8)
            let clock = ContinuousClock()
            let start = clock.now
            let imported = await cli("user", "import", file, "--format", "csv", "--csv-style", "rfc4180")
            let elapsed = clock.now - start
            #expect(imported.status == 0, "\(imported.error.suffix(2000))")
            let created = CSVReader.records(imported.output)
            #expect(created.count == 1000)
            #expect(created.first?["line"] == "2")
            #expect(created.first?["identifier"] == "XXX0606XX12")
            #expect(Set(created.compactMap { $0["identifier"] }).count == 1000)
            #expect(try await Self.countUsers(server) == before + 1000)
            print("imported 1,000 users in \(elapsed)")

            // The listing pages past the server's size limit of 1000.
            let members = await cli("user", "list", "--group", "T1", "--format", "csv", "--csv-style", "rfc4180")
            #expect(members.status == 0, "\(members.error)")
            #expect(CSVReader.records(members.output).count == 1005)
        }
    }

    @Test("an unknown group and a missing column are reported before anything is created; --keep-going creates the good lines")
    func groupsColumnsAndKeepGoing() async throws {
        try await TestServer.with { (server: TestServer) async throws in
            let folder = try TestDirectory.makeTemporaryFolder("cli-import")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let file = folder + "/users.csv"
            // The portal's headers, ';'-separated as a French spreadsheet writes them.
            try """
                Nom;Prénom;Adresse mail;Mode de travail;Groupe;Date d'ouverture
                LAGARE;Xavier;x.lagare2@partenaires.fr;Itinérant;T1;25/08/2021
                DURAND;Paul;p.durand@partenaire.fr;sedentary;T9;
                MARTIN;;m.martin@partenaire.fr;sedentary;T1;31/02/2021

                """.write(toFile: file, atomically: true, encoding: .utf8)
            let cli = CLI(server)
            let dryRun = await cli("user", "import", file, "--dry-run", "--format", "json")
            #expect(dryRun.status == 65)
            let issues = try JSONReader.array(dryRun.output)
            #expect(issues.map { "\($0["line"] ?? "")/\($0["field"] ?? "")/\($0["rule"] ?? "")" } == ["3/group/R4", "4/firstName/R4", "4/openDate/R4"])

            let partial = await cli("user", "import", file, "--keep-going", "--format", "csv", "--csv-style", "rfc4180")
            #expect(partial.status == 65)
            #expect(CSVReader.records(partial.output).map { $0["line"] } == ["2"])
            #expect(partial.error.contains("1 utilisateurs créés ; 2 lignes sur 3 enfreignent une règle"), "\(partial.error)")
            let xavier = try JSONReader.object((await cli("user", "show", "XXX0606XX12", "--format", "json")).output)
            #expect(xavier["workMode"] as? String == "itinerant")
            #expect(xavier["openDate"] as? String == "2021-08-25")

            try "Nom,Prénom,Couleur\nA,B,bleu\n".write(toFile: file, atomically: true, encoding: .utf8)
            let unknown = await cli("user", "import", file, "--dry-run")
            #expect(unknown.status == 64)
            #expect(unknown.error.contains("colonne inconnue « Couleur »"), "\(unknown.error)")
            let missing = await cli("user", "import", folder + "/absent.csv")
            #expect(missing.status == 74)

            // A group given by DN passes the local checks; the server's own dry run refuses it (R8).
            try "lastName,firstName,mail,workMode,group\nNOIR,Eve,e.noir@partenaire.fr,sedentary,\"cn=T1,cn=CONV-9999-001,cn=PART9999,ou=partners,dc=annuaire,dc=local\"\n"
                .write(toFile: file, atomically: true, encoding: .utf8)
            let judged = await cli("user", "import", file, "--format", "csv", "--csv-style", "rfc4180")
            #expect(judged.status == 65)
            #expect(judged.error.contains("ligne 2, champ group, règle R8"), "\(judged.error)")
        }
    }

    @Test("user export writes the CSV that user import reads: exporting T1 and dry-running it back finds no broken rule")
    func exportRoundTrip() async throws {
        try await TestServer.with { (server: TestServer) async throws in
            let cli = CLI(server)
            // By default, for French spreadsheets: a BOM, French headers, ';' (issue #16, item 5).
            let export = await cli("user", "export", "--group", "T1")
            #expect(export.status == 0, "\(export.error)")
            #expect(export.output.hasPrefix(
                "\u{FEFF}Identifiant;Nom;Prénom;Adresse mail;Téléphone;Mode de travail;Groupes;Date d'ouverture;Date de clôture;Convention;Statut\r\n"),
                "\(export.output)")
            let plain = await cli("user", "export", "--group", "T1", "--csv-style", "rfc4180")
            #expect(plain.output.hasPrefix("identifier,lastName,firstName,mail,telephone,workMode,group,openDate,closeDate,convention,status\r\n"))
            let rows = CSVReader.records(plain.output)
            #expect(rows.count == 5)
            #expect(rows.first?["identifier"] == "XXX0606XX06")
            #expect(rows.first?["group"] == "T1")
            #expect(rows.first?["openDate"] == "2021-07-20")
            let folder = try TestDirectory.makeTemporaryFolder("cli-export")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            try export.output.write(toFile: folder + "/t1.csv", atomically: true, encoding: .utf8)
            let check = await cli("user", "import", folder + "/t1.csv", "--dry-run")
            #expect(check.status == 0, "\(check.output) \(check.error)")
            #expect(check.output.contains("Essai à blanc : 5 lignes vérifiées, aucune règle enfreinte ; rien n'a été créé."))
        }
    }

    @Test("group import: a duplicate code, a responsible outside the convention, an ungranted profile and an unknown parent are named; fixed, the groups exist with their levels; group export reads back")
    func groupImport() async throws {
        try await TestServer.with { (server: TestServer) async throws in
            let folder = try TestDirectory.makeTemporaryFolder("cli-groups")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let file = folder + "/groups.csv"
            try """
                code,label,responsible,roles,parent
                T1,Doublon,XXX0606XX01,CDAP/T1,
                T2A,CDAP T2 A,XXX0606XX99,CDAP/T1,
                T2B,CDAP T2 B,XXX0606XX01,CDAP/T2,
                T2C,CDAP T2 C,XXX0606XX01,CDAP/T1,NOPE
                bad code!,Libellé,XXX0606XX01,,

                """.write(toFile: file, atomically: true, encoding: .utf8)
            let cli = CLI(server)
            let dryRun = await cli("group", "import", file, "--dry-run", "--format", "csv", "--csv-style", "rfc4180")
            #expect(dryRun.status == 65)
            let issues = CSVReader.records(dryRun.output).map { "\($0["line"] ?? "")/\($0["field"] ?? "")/\($0["rule"] ?? "")" }
            #expect(issues == ["2/code/R2", "3/responsible/R2", "4/roles/R3", "5/parent/R2", "6/code/R2"], "\(dryRun.output)")
            let refused = await cli("group", "import", file)
            #expect(refused.status == 65)
            #expect(CSVReader.records((await cli("group", "list", "--format", "csv", "--csv-style", "rfc4180")).output).count == 1)

            try """
                code,label,responsible,roles,parent,openDate
                T2A,CDAP T2 A,XXX0606XX01,CDAP/T1,,01/01/2026
                T2B,CDAP T2 B,XXX0606XX06,CDAP/T1,T2A,
                T2C,Sous-groupe,XXX0606XX01,,T2B,

                """.write(toFile: file, atomically: true, encoding: .utf8)
            let imported = await cli("group", "import", file)
            #expect(imported.status == 0, "\(imported.error)")
            #expect(imported.output.contains("3 groupes créés."))
            let levels = CSVReader.records((await cli("group", "list", "--format", "csv", "--csv-style", "rfc4180")).output)
                .reduce(into: [String: String]()) { $0[$1["code"] ?? ""] = $1["level"] }
            #expect(levels == ["T1": "1", "T2A": "1", "T2B": "2", "T2C": "3"])

            let french = await cli("group", "export")
            #expect(french.output.hasPrefix("\u{FEFF}Code;Libellé;Responsable;Rôles;Sous-groupe de;Date d'ouverture;Date de clôture;Convention;Statut\r\n"))
            let export = await cli("group", "export", "--csv-style", "rfc4180")
            #expect(export.status == 0)
            let rows = CSVReader.records(export.output)
            #expect(rows.map { $0["code"] } == ["T1", "T2A", "T2B", "T2C"])
            #expect(rows.first { $0["code"] == "T2B" }?["parent"] == "T2A")
            #expect(rows.first { $0["code"] == "T2A" }?["roles"] == "CDAP/T1")
        }
    }
}

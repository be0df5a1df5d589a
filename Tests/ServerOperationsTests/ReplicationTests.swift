import AnnuaireTestSupport
import DirectoryBackend
import Foundation
import Habilitations
import Logging
import Testing

/// Issue #19, several machines: the properties that must hold with two OpenLDAP providers in
/// multi-provider replication and two front-ends (`Deploy/cluster.sh`, the built `annuaire`).
/// Front-end 1 writes to provider 1, front-end 2 to provider 2 (its list is reversed).
@Suite("Several machines: two providers in multi-provider replication, two front-ends", .serialized, .runningCluster, .timeLimit(.minutes(4)))
struct ReplicationTests {
    var cluster: TestCluster {
        get throws { try #require(TestCluster.current) }
    }

    /// `count` users, imported through one front-end with the CLI (each line a create-user).
    static func importUsers(_ cluster: TestCluster, frontEnd: Int, prefix: String, count: Int) async throws -> CommandResult {
        var csv = "lastName,firstName,mail,workMode,group\n"
        for index in 0..<count {
            csv += "\(prefix),Camille\(index),c\(index).\(prefix.lowercased())@partenaires.fr,sedentary,T1\n"
        }
        let file = "\(cluster.folder)/\(prefix).csv"
        try csv.write(toFile: file, atomically: true, encoding: .utf8)
        return try await cluster.cli(["user", "import", file], frontEnd: frontEnd)
    }

    @Test("R4: users created at once through both front-ends, on both providers, get distinct identifiers and uidNumbers from each provider's block; the copies converge")
    func uniqueIdentifiersUnderConcurrentCreation() async throws {
        let cluster = try cluster
        async let first = Self.importUsers(cluster, frontEnd: 1, prefix: "CONCURUN", count: 8)
        async let second = Self.importUsers(cluster, frontEnd: 2, prefix: "CONCURDEUX", count: 8)
        let (one, two) = try await (first, second)
        #expect(one.status == 0, "\(one.error)")
        #expect(two.status == 0, "\(two.error)")

        let users = try #require(
            try await cluster.converged(filter: "(|(sn=CONCURUN)(sn=CONCURDEUX))", attributes: ["uid", "uidNumber", "sn"]),
            "the providers' copies of the new users still differ after 30 s")
        #expect(users.count == 16)
        let identifiers = users.compactMap { $0.first("uid") }
        let uidNumbers = users.compactMap { $0.first("uidNumber") }
        #expect(Set(identifiers).count == 16, "an identifier is held by two people: \(identifiers.sorted())")
        #expect(Set(uidNumbers).count == 16, "a uidNumber is held by two people: \(uidNumbers.sorted())")
        // Each provider handed out numbers of its own block (serverID mod 16).
        for user in users {
            let number = try #require(user.first("uidNumber").flatMap(Int.init)) - 100_000
            let provider = user.first("sn") == "CONCURUN" ? 1 : 2
            #expect(number % IdentifierGenerator.blockStride == provider, "\(user.dn): number \(number) is not in provider \(provider)'s block")
        }
    }

    @Test("an acknowledged write survives the loss of its provider: kill -9 right after it, writes resume on the other, the provider restarts, both copies converge and hold both users")
    func acknowledgedWriteSurvivesProviderLoss() async throws {
        let cluster = try cluster
        func create(_ name: String) async throws -> CommandResult {
            try await cluster.cli([
                "user", "create", "--last-name", name, "--first-name", "Paul", "--mail", "p.\(name.lowercased())@partenaires.fr",
                "--mail-confirmation", "p.\(name.lowercased())@partenaires.fr", "--group", "T1", "--work-mode", "sedentary",
            ], frontEnd: 1)
        }
        let before = try await create("AVANTPANNE")
        try #require(before.status == 0, "\(before.error)")
        // A provider that consumes the other's changes ends transactions with the fixed pause, not
        // the barrier: slapd's pause would wait for syncrepl's worker (up to its timeout, 3 s here).
        let log = try String(contentsOfFile: "\(cluster.folder)/fe1/annuaire.log", encoding: .utf8)
        #expect(log.contains("slapd is a syncrepl consumer"), "front-end 1 did not see that its provider replicates")
        let killed = try await cluster.script(["kill-provider", "1"])
        try #require(killed.status == 0, "\(killed.error)")

        // Writes resume on provider 2: a request in flight on the lost connection is answered
        // unavailable (52) and not replayed; the client tries again.
        let clock = ContinuousClock()
        let started = clock.now
        var after = try await create("APRESPANNE")
        while after.status != 0, clock.now - started < .seconds(30) {
            try await Task.sleep(for: .milliseconds(500))
            after = try await create("APRESPANNE")
        }
        #expect(after.status == 0, "writes did not resume on provider 2 within 30 s: \(after.error)")
        #expect(try await cluster.entries(on: 2, filter: "(sn=APRESPANNE)", attributes: ["uid"]).count == 1)

        let restarted = try await cluster.script(["start-provider", "1"])
        try #require(restarted.status == 0, "\(restarted.error)")
        let users = try #require(
            try await cluster.converged(filter: "(|(sn=AVANTPANNE)(sn=APRESPANNE))", attributes: ["uid", "uidNumber", "mail"]),
            "the providers' copies still differ 30 s after provider 1 came back")
        #expect(users.count == 2)
        #expect(Set(users.compactMap { $0.first("uid") }).count == 2)

        // Whole entries replicate and the later entryCSN wins: the group's member list written on
        // provider 2 with APRESPANNE can replace the one provider 1 acknowledged with AVANTPANNE
        // just before it died, if that had not replicated yet. Derived state is the reconciler's:
        // the failback asks it for a whole derivation, which puts the member back (README, "Rule-
        // checked writes across providers"). Both people end up members of T1 on both providers.
        let group = "cn=T1,cn=CONV-0606-001,cn=PART0606,ou=partners,\(TestCluster.suffix)"
        let people = Set(users.map { $0.dn.lowercased() })
        var members: [[String]] = []
        let repaired = try await eventually(within: .seconds(30), every: .milliseconds(250)) {
            members = []
            for provider in 1...2 {
                let entry = try await cluster.entries(on: provider, base: group, scope: "base", filter: "(objectClass=*)", attributes: ["member"]).first
                members.append((entry?.attributes["member"] ?? []).map { $0.lowercased() })
            }
            return members.allSatisfy { people.isSubset(of: Set($0)) }
        }
        #expect(repaired, "T1 does not list both people on both providers 30 s after provider 1 came back: \(members)")
        // Once the whole tree has converged, a whole derivation on either provider finds nothing to change.
        #expect(try await cluster.wholeTreeConverged(), "the providers' contextCSN still differ 30 s after provider 1 came back")
        for provider in 1...2 {
            let store = OpenLDAPStore(configuration: .init(endpoint: BackendEndpoint(uri: cluster.ldapi(provider), credentials: .saslExternal), dataConnections: 2, bindConnections: 1))
            let scratch = "\(cluster.folder)/derivation-\(provider)"
            let service = HabilitationService(
                store: store, layout: DirectoryLayout(), mail: try MaildirTransport(root: URL(fileURLWithPath: "\(scratch)/mail")),
                outbox: try MailOutbox(folder: URL(fileURLWithPath: "\(scratch)/outbox")), logger: Logger(label: "replication-test"))
            var changed = 0
            var cursor: String?
            repeat {
                let (count, next) = try await service.reconcile(after: cursor, limit: 500)
                changed += count
                cursor = next
            } while cursor != nil
            await store.shutdown()
            #expect(changed == 0, "a whole derivation on provider \(provider) changed \(changed) entries after convergence")
        }
    }

    @Test("R6 lockout across providers: five wrong passwords, three through front-end 1 (provider 1) and two through front-end 2 (provider 2), lock the account on both")
    func lockoutAcrossProviders() async throws {
        let cluster = try cluster
        let person = "uid=XXX0606XX08,ou=people,\(TestCluster.suffix)"
        func bind(_ password: String, frontEnd: Int) async throws -> CommandResult {
            try await CommandLineTool.run("ldapwhoami", ["-x", "-H", cluster.frontEnd(frontEnd), "-D", person, "-w", password])
        }
        let good = try await bind(TestCluster.demoPassword, frontEnd: 2)
        try #require(good.status == 0, "the demo account does not bind before the test: \(good.error)")
        for attempt in 0..<5 {
            let frontEnd = attempt % 2 == 0 ? 1 : 2
            let wrong = try await bind("pas-le-bon-\(attempt)", frontEnd: frontEnd)
            #expect(wrong.status == 49)
            // Let the failure replicate before the next one lands on the other provider.
            let failures = try await eventually(within: .seconds(10), every: .milliseconds(100)) {
                let counts = try await (1...2).asyncMap {
                    try await cluster.entries(on: $0, base: person, filter: "(objectClass=*)", attributes: ["pwdFailureTime"]).first?
                        .attributes["pwdfailuretime"]?.count ?? 0
                }
                return counts.allSatisfy { $0 == attempt + 1 }
            }
            #expect(failures, "failure \(attempt + 1) did not reach both providers")
        }
        let locked = try await eventually(within: .seconds(10), every: .milliseconds(100)) {
            try await (1...2).asyncMap {
                try await cluster.entries(on: $0, base: person, filter: "(pwdAccountLockedTime=*)", attributes: ["1.1"]).count
            } == [1, 1]
        }
        #expect(locked, "pwdAccountLockedTime is not on both providers")
        for frontEnd in 1...2 {
            let refused = try await bind(TestCluster.demoPassword, frontEnd: frontEnd)
            #expect(refused.status == 49, "the locked account still binds through front-end \(frontEnd)")
        }
    }

    @Test("R6 lockout across providers, concurrently: wrong passwords sent at the same time through both front-ends (each on its own provider) lock the account on both within five rounds; the right password is then refused through both")
    func concurrentLockoutAcrossProviders() async throws {
        let cluster = try cluster
        let person = "uid=XXX0606XX07,ou=people,\(TestCluster.suffix)"
        func bind(_ password: String, frontEnd: Int) async throws -> CommandResult {
            try await CommandLineTool.run("ldapwhoami", ["-x", "-H", cluster.frontEnd(frontEnd), "-D", person, "-w", password])
        }
        func failures(on provider: Int) async throws -> [String] {
            try await cluster.entries(on: provider, base: person, filter: "(objectClass=*)", attributes: ["pwdFailureTime"]).first?
                .attributes["pwdfailuretime"]?.sorted() ?? []
        }
        func lockedOn() async throws -> [Int] {
            try await (1...2).asyncMap {
                try await cluster.entries(on: $0, base: person, filter: "(pwdAccountLockedTime=*)", attributes: ["1.1"]).count
            }
        }
        let good = try await bind(TestCluster.demoPassword, frontEnd: 1)
        try #require(good.status == 0, "the demo account does not bind before the test: \(good.error)")
        // Whole entries replicate: of two failures recorded at once on the two providers, the copies
        // may keep only the later entry. Each round of two concurrent failures still adds at least
        // one to the count both providers converge on, so five rounds reach pwdMaxFailure (5).
        var rounds = 0
        var locked = false
        while rounds < 8, !locked {
            rounds += 1
            let wrong = "pas-le-bon-\(rounds)"
            async let first = Self.bind(cluster, person, wrong + "-un", frontEnd: 1)
            async let second = Self.bind(cluster, person, wrong + "-deux", frontEnd: 2)
            let (one, two) = try await (first, second)
            #expect(one.status == 49 && two.status == 49, "round \(rounds): \(one.status) / \(two.status)")
            _ = try await eventually(within: .seconds(5), every: .milliseconds(50)) {
                try await failures(on: 1) == failures(on: 2)
            }
            locked = try await lockedOn() == [1, 1]
        }
        #expect(locked, "after \(rounds) rounds of concurrent wrong passwords the account is not locked on both providers")
        #expect(rounds <= 5, "locking took \(rounds) rounds (\(2 * rounds) wrong passwords)")
        for frontEnd in 1...2 {
            let refused = try await bind(TestCluster.demoPassword, frontEnd: frontEnd)
            #expect(refused.status == 49, "the locked account still binds through front-end \(frontEnd)")
        }
    }

    /// A simple bind as `dn` through one front-end (ldapwhoami).
    static func bind(_ cluster: TestCluster, _ dn: String, _ password: String, frontEnd: Int) async throws -> CommandResult {
        try await CommandLineTool.run("ldapwhoami", ["-x", "-H", cluster.frontEnd(frontEnd), "-D", dn, "-w", password])
    }

    /// The temporary password mailed (by front-end 1) for a new user.
    static func temporaryPassword(_ cluster: TestCluster, of identifier: String) async throws -> String {
        let folder = "\(cluster.folder)/fe1/mail/new"
        var found: String?
        _ = try await eventually(within: .seconds(10), every: .milliseconds(100)) {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
                let text = (try? String(contentsOfFile: "\(folder)/\(name)", encoding: .utf8)) ?? ""
                if let line = text.split(whereSeparator: \.isNewline).first(where: {
                    $0.contains("mot de passe temporaire pour l'identifiant \(identifier) : ")
                }) {
                    found = line.split(separator: " ").last.map(String.init)
                }
            }
            return found != nil
        }
        return try #require(found, "no temporary password mailed for \(identifier)")
    }

    @Test("R6 passwords across providers: a temporary password's pwdReset and pwdChangedTime replicate, so its 24 hours count the same through both front-ends (aged on provider 1, refused through front-end 2 too); a password changed through front-end 2 binds through front-end 1 within the replication delay, the old one no longer")
    func passwordsAcrossProviders() async throws {
        let cluster = try cluster
        func create(_ name: String) async throws -> String {
            let result = try await cluster.cli([
                "user", "create", "--last-name", name, "--first-name", "Rose", "--mail", "r.\(name.lowercased())@partenaires.fr",
                "--mail-confirmation", "r.\(name.lowercased())@partenaires.fr", "--group", "T1", "--work-mode", "sedentary",
            ], frontEnd: 1)
            try #require(result.status == 0, "\(result.error)")
            let line = try #require(result.output.split(separator: "\n").first { $0.contains("identifiant ") })
            let after = try #require(line.range(of: "identifiant "))
            return String(line[after.upperBound...].prefix { !$0.isWhitespace })
        }
        func bind(_ dn: String, _ password: String, frontEnd: Int) async throws -> Int32 {
            try await CommandLineTool.run("ldapwhoami", ["-x", "-H", cluster.frontEnd(frontEnd), "-D", dn, "-w", password]).status
        }
        let changing = try await create("CHANGEPASSE")
        let aging = try await create("VIEILLEPASSE")
        let changingDN = "uid=\(changing),ou=people,\(TestCluster.suffix)"
        let agingDN = "uid=\(aging),ou=people,\(TestCluster.suffix)"
        let copies = try #require(
            try await cluster.converged(filter: "(|(uid=\(changing))(uid=\(aging)))", attributes: ["pwdReset", "pwdChangedTime"]),
            "the new users' password state differs between the providers after 30 s")
        #expect(copies.count == 2)
        #expect(copies.allSatisfy { $0.first("pwdReset") == "TRUE" && $0.first("pwdChangedTime") != nil }, "\(copies)")

        // A password changed through front-end 2 (provider 2) binds through front-end 1 (provider 1).
        let temporary = try await Self.temporaryPassword(cluster, of: changing)
        #expect(try await bind(changingDN, temporary, frontEnd: 2) == 0, "the temporary password does not open a session through front-end 2")
        let changed = "Cle-Nouvelle-2026!"
        let change = try await CommandLineTool.run("ldappasswd", [
            "-x", "-H", cluster.frontEnd(2), "-D", changingDN, "-w", temporary, "-a", temporary, "-s", changed,
        ])
        try #require(change.status == 0, "\(change.output) \(change.error)")
        let clock = ContinuousClock()
        let changedAt = clock.now
        let bindsOnOne = try await eventually(within: .seconds(10), every: .milliseconds(50)) {
            try await bind(changingDN, changed, frontEnd: 1) == 0
        }
        #expect(bindsOnOne, "the new password does not bind through front-end 1 (provider 1) 10 s after the change")
        #expect(clock.now - changedAt < .seconds(5), "the changed password took \(clock.now - changedAt) to bind on the other provider")
        #expect(try await bind(changingDN, temporary, frontEnd: 1) == 49, "the old password still binds through front-end 1")
        let afterChange = try #require(try await cluster.converged(filter: "(uid=\(changing))", attributes: ["pwdReset", "pwdChangedTime"]))
        #expect(afterChange.first?.first("pwdReset") == nil, "pwdReset is still set after the change: \(afterChange)")

        // The other's temporary password, 25 hours old on provider 1: refused through both front-ends.
        let agingTemporary = try await Self.temporaryPassword(cluster, of: aging)
        #expect(try await bind(agingDN, agingTemporary, frontEnd: 1) == 0, "a fresh temporary password does not open a session")
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMddHHmmss'Z'"
        let old = formatter.string(from: Date().addingTimeInterval(-25 * 3600))
        let ldif = "\(cluster.folder)/age-\(aging).ldif"
        try "dn: \(agingDN)\nchangetype: modify\nreplace: pwdChangedTime\npwdChangedTime: \(old)\n".write(toFile: ldif, atomically: true, encoding: .utf8)
        let aged = try await CommandLineTool.run("ldapmodify", ["-Q", "-Y", "EXTERNAL", "-H", cluster.ldapi(1), "-e", "relax", "-f", ldif])
        try #require(aged.status == 0, "\(aged.error)")
        let agedCopies = try await eventually(within: .seconds(10), every: .milliseconds(50)) {
            try await (1...2).asyncMap {
                try await cluster.entries(on: $0, base: agingDN, filter: "(objectClass=*)", attributes: ["pwdChangedTime"]).first?.first("pwdChangedTime")
            } == [old, old]
        }
        #expect(agedCopies, "the aged pwdChangedTime did not reach provider 2")
        for frontEnd in 1...2 {
            #expect(try await bind(agingDN, agingTemporary, frontEnd: frontEnd) == 49, "a 25-hour-old temporary password opens a session through front-end \(frontEnd)")
        }
    }
}

extension ClosedRange where Bound == Int {
    fileprivate func asyncMap<T>(_ transform: (Int) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for value in self { results.append(try await transform(value)) }
        return results
    }
}

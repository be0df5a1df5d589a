import AnnuaireTestSupport
import DirectoryBackend
import Foundation
import Glibc
import Habilitations
import LDAPProtocol
import NIOConcurrencyHelpers
import Testing

/// Issue #9: the embedded slapd killed with SIGKILL while several clients do
/// multi-entry writes through the server (create-user: history event, user,
/// membership and the group's `member` in one RFC 5805 transaction; a group
/// with its role, then a membership with the materialised `member`/`memberOf`).
/// Every request gets a result; nothing is half-applied; slapd is restarted
/// and the same Annuaire serves again.
@Suite("Faults under write load", .serialized)
struct FaultsUnderWriteLoadTests {
    /// Result codes a write may get because the store died under it: RFC 4511
    /// `unavailable` (52), `busy` (51), `other` (80); each with a diagnostic.
    static let faultCodes: Set<LDAPResultCode> = [.unavailable, .busy, .other]

    /// Who did what and what came back, shared by the clients and the killer.
    final class Tally: Sendable {
        struct State {
            var started = 0
            var completed = 0
            var codes: [String: Int] = [:]
            var failures: [(operation: String, code: Int, diagnostic: String)] = []
            var createdUsers: [String] = []
            var createdGroups: [String] = []
            var addedMemberships: [String] = []
            var attemptedGroups: [String] = []
            var attemptedMemberships: [String] = []
            var kills = 0
            var inFlightAtKills: [Int] = []
        }
        let state = NIOLockedValueBox(State())

        func start() { state.withLockedValue { $0.started += 1 } }
        func finish(_ operation: String, code: Int, diagnostic: String) {
            state.withLockedValue { state in
                state.completed += 1
                state.codes["\(operation) \(code)", default: 0] += 1
                if code != 0 { state.failures.append((operation, code, diagnostic)) }
            }
        }
        var completed: Int { state.withLockedValue { $0.completed } }
        var kills: Int { state.withLockedValue { $0.kills } }
    }

    static let kills = 2
    /// Each client does at least this many operations, and goes on until the kills are done.
    static let minimumPerClient = 6
    static let maximumPerClient = 40

    struct Names {
        let layout: DirectoryLayout
        var convention: String { "cn=CONV-0606-001,cn=PART0606,\(layout.partners)" }
        var groupT1: String { "cn=T1,\(convention)" }
        var profileT1: String { "cn=T1,cn=CDAP,\(layout.services)" }
        var administrator: String { layout.user(DemoDirectory.administratorIdentifier) }
        func group(_ code: String) -> String { "cn=\(code),\(convention)" }
    }

    @Test("slapd killed twice under create-user, group and membership writes: every request answered (0, 51, 52 or 80 with a diagnostic), nothing half-applied, service resumes in the same server")
    func killsUnderWriteLoad() async throws {
        try await TestServer.with { server in
            let names = Names(layout: server.directory.layout)
            let tally = Tally()
            let demoUsers = Set(DemoDirectory.userIdentifiers + [DemoDirectory.administratorIdentifier])
            try await withThrowingTaskGroup(of: Void.self) { group in
                for client in 0..<4 {
                    group.addTask { try await Self.createUsers(client: client, server: server, names: names, tally: tally) }
                }
                for client in 0..<2 {
                    group.addTask { try await Self.createGroupsAndMemberships(client: client, server: server, names: names, tally: tally) }
                }
                group.addTask { try await Self.killer(server: server, tally: tally) }
                try await group.waitForAll()
            }
            let summary = tally.state.withLockedValue { $0 }
            #expect(summary.kills == Self.kills)
            // Under load means under load: each kill landed while requests were waiting for their answer.
            #expect(summary.inFlightAtKills.count == Self.kills && summary.inFlightAtKills.allSatisfy { $0 > 0 },
                    "requests in flight at each kill: \(summary.inFlightAtKills)")
            #expect(server.directory.slapd.restartCount >= Self.kills)
            #expect(summary.started == summary.completed, "every request got an answer")
            for failure in summary.failures {
                let code = LDAPResultCode(failure.code)
                #expect(Self.faultCodes.contains(code), "\(failure.operation) got \(failure.code): \(failure.diagnostic)")
                #expect(!failure.diagnostic.isEmpty, "\(failure.operation) got \(failure.code) without a diagnostic")
            }

            // Consistency, entry by entry, read straight from slapd.
            let store = server.directory.store
            let layout = names.layout
            var checked = 0
            // 1. The materialised state agrees with the memberships: nothing to derive (concurrent
            // writes go one at a time through the write gate, so none derives from a stale reading).
            let world = try await ConventionWorld.load(names.convention, store: store, layout: layout)
            let pending = world.derivedChanges(at: Date())
            #expect(pending.isEmpty, "materialised state out of step: \(pending.map(\.dn))")
            checked += world.groups.count + world.memberships.count + world.users.count
            // 2. Every user created under load has its membership, member and memberOf, and its history event.
            let people = try await store.searchAll(SearchQuery(
                base: layout.people, scope: .singleLevel, filter: "(objectClass=annUser)", attributes: ["uid", "memberOf"]))
            let created = people.filter { entry in
                !entry.strings("uid").contains { demoUsers.contains($0) }
            }
            for user in created {
                let uid = try #require(user.strings("uid").first)
                let membership = try await store.read("annMemberUid=\(uid),\(names.groupT1)", attributes: ["annMember"])
                #expect(membership != nil, "user \(uid) exists without its membership")
                #expect(user.strings("memberOf").map { $0.lowercased() }.contains(names.groupT1.lowercased()), "user \(uid) lacks memberOf")
                let events = try await store.searchAll(SearchQuery(
                    base: layout.history, scope: .singleLevel,
                    filter: "(&(annAction=create-user)(annTarget=\(user.objectName)))", attributes: ["1.1"]))
                #expect(events.count == 1, "user \(uid) has \(events.count) create-user events")
                checked += 3
            }
            let groupT1 = try #require(try await store.read(names.groupT1, attributes: ["member"]))
            let members = Set(groupT1.strings("member").map { $0.lowercased() })
            for user in created {
                #expect(members.contains(user.objectName.lowercased()), "group T1 lacks member \(user.objectName)")
            }
            // 3. No membership without its user, no create-user event without its user.
            for membership in world.memberships.values {
                let member = try #require(membership.value("annMember"))
                #expect(try await store.read(member, attributes: ["1.1"]) != nil, "membership \(membership.dn) names a missing user")
            }
            let userEvents = try await store.searchAll(SearchQuery(
                base: layout.history, scope: .singleLevel, filter: "(annAction=create-user)", attributes: ["annTarget"]))
            #expect(userEvents.count == created.count)
            for event in userEvents {
                let target = try #require(event.strings("annTarget").first)
                #expect(try await store.read(target, attributes: ["1.1"]) != nil, "create-user event for missing \(target)")
            }
            checked += userEvents.count
            // 4. Groups: each attempted group exists with its role and its add event, or neither exists.
            for dn in summary.attemptedGroups {
                let entry = try await store.read(dn, attributes: ["annRole", "annLevel"])
                let events = try await store.searchAll(SearchQuery(
                    base: layout.history, scope: .singleLevel, filter: "(&(annAction=add)(annTarget=\(dn)))", attributes: ["1.1"]))
                if let entry {
                    #expect(entry.strings("annRole").map { $0.lowercased() } == [names.profileT1.lowercased()])
                    #expect(entry.strings("annLevel") == ["1"])
                    #expect(events.count == 1, "group \(dn) has \(events.count) add events")
                } else {
                    #expect(events.isEmpty, "an add event for the missing group \(dn)")
                }
                checked += 1
            }
            // 5. Memberships added to those groups: present with member and memberOf, or absent from all three.
            for dn in summary.attemptedMemberships {
                let entry = try await store.read(dn, attributes: ["annMember"])
                let groupDN = String(dn.drop { $0 != "," }.dropFirst())
                let uid = String(dn.dropFirst("annMemberUid=".count).prefix { $0 != "," })
                let groupEntry = try await store.read(groupDN, attributes: ["member"])
                let user = try #require(try await store.read(layout.user(uid), attributes: ["memberOf"]))
                let isMember = groupEntry?.strings("member").map { $0.lowercased() }.contains(layout.user(uid).lowercased()) ?? false
                let isMemberOf = user.strings("memberOf").map { $0.lowercased() }.contains(groupDN.lowercased())
                // The membership and its history event are written in one transaction: both or neither.
                let events = try await store.searchAll(SearchQuery(
                    base: layout.history, scope: .singleLevel, filter: "(&(annAction=add)(annTarget=\(dn)))", attributes: ["1.1"]))
                #expect(events.count == (entry == nil ? 0 : 1), "membership \(dn) and its \(events.count) add events")
                #expect(isMember == (entry != nil) && isMemberOf == (entry != nil), "membership \(dn): member/memberOf out of step")
                checked += 2
            }
            // 6. What the clients were told succeeded is there.
            for uid in summary.createdUsers {
                #expect(created.contains { $0.strings("uid").contains(uid) }, "user \(uid) reported created is missing")
            }
            for dn in summary.createdGroups {
                #expect(try await store.read(dn, attributes: ["1.1"]) != nil, "group \(dn) reported created is missing")
            }
            for dn in summary.addedMemberships {
                #expect(try await store.read(dn, attributes: ["1.1"]) != nil, "membership \(dn) reported added is missing")
            }

            // The same server serves again: a bind, a search and a create-user.
            let client = try RawLDAPClient(port: server.port, timeoutSeconds: 60)
            try #require(try await Self.bind(client, names.administrator) == 0)
            let again = try await Self.createUser(client, names: names, mail: "after.faults@partenaire.fr", id: 2)
            #expect(again.result.code == .success, "\(again.result.diagnosticMessage)")

            let appliedDespiteError = created.count - summary.createdUsers.count
            let report = """
                faults under write load: \(summary.kills) SIGKILLs (operations in flight at each: \(summary.inFlightAtKills)), \
                slapd restarts \(server.directory.slapd.restartCount); operations \(summary.started), answered \(summary.completed); \
                by operation and code: \(summary.codes.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")); \
                users created \(created.count) (reported \(summary.createdUsers.count), committed though the answer was an error: \(appliedDespiteError)); \
                groups \(summary.createdGroups.count)/\(summary.attemptedGroups.count), memberships \(summary.addedMemberships.count)/\(summary.attemptedMemberships.count); \
                entries checked \(checked)
                """
            print(report)
            for failure in summary.failures { print("  \(failure.operation) \(failure.code): \(failure.diagnostic)") }
        }
    }

    // MARK: - Clients

    /// Create-user requests, one after the other, on one connection bound as the administrator.
    static func createUsers(client: Int, server: TestServer, names: Names, tally: Tally) async throws {
        let connection = try RawLDAPClient(port: server.port, timeoutSeconds: 60)
        try #require(try await bind(connection, names.administrator) == 0)
        var index = 0
        while index < maximumPerClient && (index < minimumPerClient || tally.kills < kills) {
            tally.start()
            let response = try await createUser(connection, names: names, mail: "load.c\(client)n\(index)@partenaire.fr", id: index + 2)
            if response.result.code == .success, let value = response.value {
                let created = try CreateUserResponse(value: value)
                tally.state.withLockedValue { $0.createdUsers.append(created.identifier) }
            }
            tally.finish("create-user", code: response.result.code.rawValue, diagnostic: response.result.diagnosticMessage)
            index += 1
        }
    }

    /// A group with its role (R2, R3), then a demo user's membership in it (R5), with ldapmodify.
    static func createGroupsAndMemberships(client: Int, server: TestServer, names: Names, tally: Tally) async throws {
        var index = 0
        // Each client attaches its own users: two concurrent memberships of one user in two groups
        // race on its memberOf (each transaction replaces it from its own reading), a known gap
        // outside this test's subject (SECURITY.md, "Not defended yet").
        let members = client == 0 ? ["XXX0606XX06", "XXX0606XX07"] : ["XXX0606XX08", "XXX0606XX10"]
        while index < maximumPerClient && (index < minimumPerClient || tally.kills < kills) {
            let code = "FLT\(client)N\(index)"
            let group = names.group(code)
            tally.state.withLockedValue { $0.attemptedGroups.append(group) }
            tally.start()
            let add = try await ldapmodify(server, names: names, """
                dn: \(group)
                changetype: add
                objectClass: annGroup
                cn: \(code)
                annLabel: load \(code)
                annResponsible: \(names.administrator)
                annRole: \(names.profileT1)

                """)
            tally.finish("group-add", code: add.code, diagnostic: add.diagnostic)
            if add.code == 0 {
                tally.state.withLockedValue { $0.createdGroups.append(group) }
                let uid = members[index % members.count]
                let membership = "annMemberUid=\(uid),\(group)"
                tally.state.withLockedValue { $0.attemptedMemberships.append(membership) }
                tally.start()
                let attach = try await ldapmodify(server, names: names, """
                    dn: \(membership)
                    changetype: add
                    objectClass: annMembership
                    annMemberUid: \(uid)
                    annMember: \(names.layout.user(uid))
                    annOpenDate: 20210825000000Z

                    """)
                tally.finish("membership-add", code: attach.code, diagnostic: attach.diagnostic)
                if attach.code == 0 { tally.state.withLockedValue { $0.addedMemberships.append(membership) } }
            }
            index += 1
        }
    }

    /// Kills slapd after some writes completed, at a moment when requests are waiting for their
    /// answer (counted and killed under the tally's lock, so the count is the one at the kill),
    /// waits for its restart, kills it again.
    static func killer(server: TestServer, tally: Tally) async throws {
        let slapd = server.directory.slapd
        var threshold = 4
        for round in 1...kills {
            let pid = try #require(slapd.pid)
            var killed = false
            // Up to about a minute for a moment with requests in flight.
            for _ in 0..<30_000 {
                killed = tally.state.withLockedValue { state in
                    guard state.completed >= threshold, state.started > state.completed else { return false }
                    kill(pid, SIGKILL)
                    state.inFlightAtKills.append(state.started - state.completed)
                    state.kills += 1
                    return true
                }
                if killed { break }
                try await Task.sleep(for: .milliseconds(2))
            }
            guard killed else {
                Issue.record("kill \(round): no moment with a request in flight (completed \(tally.completed)); the clients had stopped")
                return
            }
            for _ in 0..<600 where slapd.restartCount < round || slapd.pid == nil || slapd.pid == pid {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(slapd.restartCount >= round, "slapd was not restarted after kill \(round)")
            threshold = tally.completed + 6
        }
    }

    // MARK: - Requests

    static func bind(_ client: RawLDAPClient, _ dn: String) async throws -> Int {
        try await client.send(LDAPMessage(messageID: 1, operation: .bindRequest(BindRequest(
            name: dn, authentication: .simple(password: Array(DemoDirectory.password.utf8))))))
        guard case .bindResponse(let response) = try #require(try await client.receive()).operation else {
            throw EmbeddedSlapdTestError("expected a bind response")
        }
        return response.result.code.rawValue
    }

    static func createUser(_ client: RawLDAPClient, names: Names, mail: String, id: Int) async throws -> ExtendedResponse {
        let request = CreateUserRequest(
            convention: names.convention, group: names.groupT1, sn: "CHARGE", givenName: "Test", mail: mail,
            mailConfirmation: mail, workMode: "sedentary")
        try await client.send(LDAPMessage(messageID: id, operation: .extendedRequest(ExtendedRequest(name: CreateUserRequest.oid, value: request.encoded()))))
        guard let message = try await client.receive() else {
            throw EmbeddedSlapdTestError("the server closed the connection instead of answering create-user")
        }
        guard case .extendedResponse(let response) = message.operation, message.messageID == id else {
            throw EmbeddedSlapdTestError("expected the extended response to \(id), got \(message.operation.name) for \(message.messageID)")
        }
        return response
    }

    /// ldapmodify's exit status is the LDAP result code (0 on success); its diagnostic is the "additional info" line.
    static func ldapmodify(_ server: TestServer, names: Names, _ ldif: String) async throws -> (code: Int, diagnostic: String) {
        let result = try await CommandLineTool.run(
            "ldapmodify", ["-x", "-H", server.url, "-D", names.administrator, "-w", DemoDirectory.password], input: ldif)
        let info = result.error.split(separator: "\n").first { $0.contains("additional info:") }
            .map { String($0.split(separator: ":", maxSplits: 1).last ?? "").trimmingCharacters(in: .whitespaces) } ?? ""
        return (Int(result.status), info.isEmpty ? result.error.trimmingCharacters(in: .whitespacesAndNewlines) : info)
    }
}

extension SearchResultEntry {
    /// An attribute's values as strings.
    func strings(_ type: String) -> [String] {
        values(of: type).map { String(decoding: $0, as: UTF8.self) }
    }
}

import AnnuaireTestSupport
import DirectoryBackend
import Foundation
import Habilitations
import LDAPProtocol
import Testing

/// R8 for what a refusal tells: an entry the client may not see answers, for
/// every operation and every control, exactly as an entry that does not exist
/// (result code, matched DN, diagnostic); an assertion control is evaluated only
/// on what the client may read; the front-end serves the suffix, the root DSE and
/// the subschema entry, nothing of slapd's own configuration.
@Suite("R8: out of scope answers as missing")
struct OutOfScopeAnswersTests {
    /// Runs an ldap-utils command and returns its exit status and output with `dn` written TARGET.
    static func answer(_ tool: String, _ arguments: [String], input: String? = nil, target dn: String) async throws -> String {
        let result = try await CommandLineTool.run(tool, arguments, input: input)
        let text = "exit \(result.status)\n\(result.output)\n\(result.error)"
        return text.replacingOccurrences(of: dn, with: "TARGET")
    }

    @Test("a bound person learns nothing of another partner's entries through the assertion control")
    func assertionControlOutOfScope() async throws {
        try await InMemoryServer.with { server in
            let layout = server.layout
            let other = try await OtherPartner.addWithGroup(to: server)
            let person = layout.user("XXX0606XX06")
            let bind = ["-x", "-H", server.url, "-D", person, "-w", DemoDirectory.password]
            let assertions = ["(mail=*)", "(!(mail=*))", "(userPassword=*)", "(annAdministers=\(other.convention))", "(objectClass=*)"]
            // Each entry of the other partner beside a missing one in the same place.
            let targets = [
                (other.administrator, layout.user("NOSUCH0000")),
                (other.convention, "cn=CONV-NOSUCH,cn=PART2,\(layout.partners)"),
                ("cn=PART2,\(layout.partners)", "cn=PARTNOSUCH,\(layout.partners)"),
            ]
            for assertion in assertions {
                for (target, missing) in targets {
                    let out = try await Self.answer("ldapsearch", bind + ["-e", "assert=\(assertion)", "-b", target, "-s", "base", "1.1"], target: target)
                    let gone = try await Self.answer("ldapsearch", bind + ["-e", "assert=\(assertion)", "-b", missing, "-s", "base", "1.1"], target: missing)
                    if assertion.contains("userPassword") {
                        #expect(out.hasPrefix("exit 50"), "\(assertion) on \(target): \(out)")
                    } else {
                        #expect(out == gone, "\(assertion) on \(target):\n\(out)\nversus a missing entry:\n\(gone)")
                    }
                }
            }
            // In its scope the control still works: true on its own entry, false when it does not hold.
            let holds = try await CommandLineTool.run("ldapsearch", bind + ["-e", "assert=(mail=*)", "-b", person, "-s", "base", "1.1"])
            #expect(holds.status == 0, "\(holds.error)")
            let fails = try await CommandLineTool.run("ldapsearch", bind + ["-e", "assert=(!(mail=*))", "-b", person, "-s", "base", "1.1"])
            #expect(fails.status == 122, "\(fails.error)")
            // Through a search from the suffix the assertion is on the suffix entry, which it may not read: never true.
            let fromSuffix = try await CommandLineTool.run("ldapsearch", bind + ["-e", "assert=(objectClass=*)", "-b", layout.suffix, "-s", "base", "1.1"])
            #expect(fromSuffix.status == 122, "\(fromSuffix.error)")
        }
    }

    @Test("a partner administrator gets the same answer for another partner's entries as for missing ones, operation by operation")
    func existenceOracles() async throws {
        try await InMemoryServer.with { server in
            let layout = server.layout
            let other = try await OtherPartner.addWithGroup(to: server)
            let admin = layout.user(DemoDirectory.administratorIdentifier)
            let bind = ["-x", "-H", server.url, "-D", admin, "-w", DemoDirectory.password]
            let pairs = [
                (other.group, "cn=NOSUCH,\(other.convention)"),
                (other.administrator, layout.user("NOSUCH0000")),
                (other.convention, "cn=CONV-NOSUCH,cn=PART2,\(layout.partners)"),
            ]
            for (existing, missing) in pairs {
                func both(_ tool: String, _ arguments: (String) -> [String], input: ((String) -> String)? = nil) async throws {
                    let seen = try await Self.answer(tool, bind + arguments(existing), input: input?(existing), target: existing)
                    let gone = try await Self.answer(tool, bind + arguments(missing), input: input?(missing), target: missing)
                    #expect(seen == gone, "\(tool) on \(existing):\n\(seen)\nversus missing:\n\(gone)")
                    #expect(!seen.hasPrefix("exit 0"), "\(tool) on \(existing) succeeded:\n\(seen)")
                }
                try await both("ldapsearch") { ["-b", $0, "-s", "base", "1.1"] }
                try await both("ldapsearch") { ["-b", $0, "-s", "sub", "(cn=NOTHING)", "1.1"] }
                try await both("ldapsearch") { ["-e", "assert=(objectClass=*)", "-b", $0, "-s", "base", "1.1"] }
                try await both("ldapsearch") { ["-E", "pr=2/noprompt", "-b", $0, "1.1"] }
                try await both("ldapsearch") { ["-E", "sss=cn", "-b", $0, "1.1"] }
                try await both("ldapsearch") { ["-M", "-b", $0, "-s", "one", "1.1"] }
                try await both("ldapcompare") { ["-e", "assert=(objectClass=*)", $0, "annLabel:x"] }
                try await both("ldapmodify", { _ in ["-e", "postread=*"] }, input: { "dn: \($0)\nchangetype: modify\nreplace: description\ndescription: x\n" })
                try await both("ldapdelete") { ["-e", "preread=*", "-e", "assert=(objectClass=*)", $0] }
                try await both("ldapcompare") { [$0, "cn:G2"] }
                try await both("ldapmodify", { _ in ["-e", "preread=cn"] }, input: { "dn: \($0)\nchangetype: modify\nreplace: annLabel\nannLabel: x\n" })
                try await both("ldapmodify", { _ in [] }, input: { "dn: \($0)\nchangetype: modify\nreplace: telephoneNumber\ntelephoneNumber: 0102030405\n" })
                try await both("ldapmodify", { _ in [] }, input: { "dn: annMemberUid=XXX0606XX06,\($0)\nchangetype: add\nobjectClass: annMembership\nannMemberUid: XXX0606XX06\nannMember: \(layout.user("XXX0606XX06"))\n" })
                try await both("ldapdelete") { [$0] }
                try await both("ldapmodrdn") { [$0, "cn=RENAMED"] }
                try await both("ldappasswd") { [$0] }
            }
        }
    }

    @Test("the operator reaches nothing outside the suffix: not cn=config, not cn=monitor, not another naming context")
    func onlyTheSuffixIsServed() async throws {
        try await TestServer.with { server in
            let layout = server.layout
            let bind = ["-x", "-H", server.url, "-D", layout.operatorAccount(DemoDirectory.operatorName), "-w", DemoDirectory.password]
            for base in ["cn=config", "olcDatabase={1}mdb,cn=config", "cn=monitor", "dc=other,dc=local"] {
                let search = try await CommandLineTool.run("ldapsearch", bind + ["-b", base, "-s", "base", "*"])
                #expect(search.status == 32, "\(base): exit \(search.status) \(search.output)")
                #expect(!search.output.split(separator: "\n").contains { $0.hasPrefix("olc") || $0.hasPrefix("dn:") }, "\(base): \(search.output)")
            }
            let change = try await CommandLineTool.run("ldapmodify", bind, input: "dn: cn=config\nchangetype: modify\nreplace: olcPidFile\nolcPidFile: /tmp/annuaire-pwned.pid\n")
            #expect(change.status == 32, "modify cn=config: exit \(change.status) \(change.error)")
            let subtree = try await CommandLineTool.run("ldapsearch", bind + ["-b", "", "-s", "sub", "(objectClass=*)", "1.1"])
            #expect(subtree.status == 32, "the root as a subtree base: exit \(subtree.status) \(subtree.output)")
            // The root DSE and the schema still answer.
            let root = try await CommandLineTool.run("ldapsearch", ["-x", "-H", server.url, "-b", "", "-s", "base", "namingContexts"])
            #expect(root.status == 0 && root.output.contains(layout.suffix), "\(root.output)")
        }
    }

    @Test("defence in depth: the identity clients' operations run under in slapd reads no password and no configuration, even with no policy in front")
    func slapdRefusesTheClientIdentity() async throws {
        try await TestDirectory.with { directory in
            let layout = directory.layout
            let clients = directory.store.forClients()
            let person = layout.user("XXX0606XX06")
            // The service identity sees the hash: what is hidden below is hidden by slapd's access control.
            let service = try #require(try await directory.store.read(person, attributes: ["userPassword"]))
            #expect(!service.values(of: "userPassword").isEmpty)
            let entries = try await clients.searchAll(SearchQuery(
                base: layout.people, scope: .wholeSubtree, filter: "(objectClass=*)", attributes: ["userPassword", "pwdHistory", "mail"]))
            #expect(entries.contains { !$0.values(of: "mail").isEmpty })
            #expect(entries.allSatisfy { $0.values(of: "userPassword").isEmpty && $0.values(of: "pwdHistory").isEmpty })
            let byHash = try await clients.searchAll(SearchQuery(base: layout.people, scope: .wholeSubtree, filter: "(userPassword=*)", attributes: ["1.1"]))
            #expect(byHash.isEmpty)
            let config = try? await clients.read("cn=config", attributes: ["olcPidFile"])
            #expect(config == nil)
            await #expect(throws: LDAPOperationError.self) {
                try await clients.modify(dn: "cn=config", changes: [.init(operation: .replace, modification: PartialAttribute(type: "olcPidFile", strings: ["/tmp/x.pid"]))], controls: [])
            }
            await #expect(throws: LDAPOperationError.self) {
                try await clients.modify(dn: person, changes: [.init(operation: .replace, modification: PartialAttribute(type: "userPassword", strings: ["Pirate-Mot-2026!"]))], controls: [])
            }
            await #expect(throws: LDAPOperationError.self) {
                try await clients.modify(dn: person, changes: [.init(operation: .replace, modification: PartialAttribute(type: "pwdAccountLockedTime", strings: ["000001010000Z"]))], controls: [])
            }
            await #expect(throws: LDAPOperationError.self) {
                try await clients.add(dn: "cn=pirate,\(layout.suffix)", attributes: [
                    PartialAttribute(type: "objectClass", strings: ["person"]), PartialAttribute(type: "cn", strings: ["pirate"]),
                    PartialAttribute(type: "sn", strings: ["pirate"]), PartialAttribute(type: "userPassword", strings: ["Pirate-Mot-2026!"]),
                ], controls: [])
            }
            // What Annuaire's rules write for clients still goes through.
            try await clients.modify(dn: person, changes: [.init(operation: .replace, modification: PartialAttribute(type: "telephoneNumber", strings: ["0102030405"]))], controls: [])
        }
    }
}

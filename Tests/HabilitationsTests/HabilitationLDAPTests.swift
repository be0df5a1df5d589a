import AnnuaireTestSupport
import DirectoryBackend
import Foundation
import Habilitations
import LDAPProtocol
import Testing

/// The rules through the LDAP front-end, as a partner administrator, another
/// partner's administrator, a person and the operator would meet them, with
/// ldap-utils: R2, R3, R5 on writes, R8 on reads and writes, and the
/// materialised member/memberOf/annHabilitation (R1, R5).
@Suite("Habilitations over LDAP")
struct HabilitationLDAPTests {
    static let password = DemoDirectory.password

    struct Names {
        let layout: DirectoryLayout
        var convention: String { "cn=CONV-0606-001,cn=PART0606,\(layout.partners)" }
        var profileT1: String { "cn=T1,cn=CDAP,\(layout.services)" }
        var profileT2: String { "cn=T2,cn=CDAP,\(layout.services)" }
        var administrator: String { layout.user(DemoDirectory.administratorIdentifier) }
        func group(_ code: String) -> String { "cn=\(code),\(convention)" }
    }

    func as_(_ server: TestServer, _ dn: String, password: String = Self.password) -> [String] {
        ["-x", "-H", server.url, "-D", dn, "-w", password]
    }

    func ldif(_ server: TestServer, as dn: String, password: String = Self.password, _ text: String) async throws -> CommandResult {
        try await CommandLineTool.run("ldapmodify", as_(server, dn, password: password), input: text)
    }

    func values(_ server: TestServer, _ dn: String, _ attribute: String) async throws -> [String] {
        let entry = try await server.directory.store.read(dn, attributes: [attribute])
        return entry?.values(of: attribute).map { String(decoding: $0, as: UTF8.self) } ?? []
    }

    @Test("R2, R3, R5: the administrator creates a group with its role and attaches a user; member, memberOf and annHabilitation follow")
    func walkthrough() async throws {
        try await TestServer.with { server in
            let names = Names(layout: server.directory.layout)
            let add = try await ldif(server, as: names.administrator, """
                dn: \(names.group("T1B"))
                changetype: add
                objectClass: annGroup
                cn: T1B
                annLabel: CDAP T1 bis
                annResponsible: \(names.administrator)
                annRole: \(names.profileT1)

                """)
            #expect(add.status == 0, "\(add.error)")
            #expect(try await values(server, names.group("T1B"), "annLevel") == ["1"])
            #expect(try await values(server, names.group("T1B"), "annStatus") == ["open"])
            let lagare = server.directory.layout.user("XXX0606XX11")
            let attach = try await ldif(server, as: names.administrator, """
                dn: annMemberUid=XXX0606XX11,\(names.group("T1B"))
                changetype: add
                objectClass: annMembership
                annMemberUid: XXX0606XX11
                annMember: \(lagare)
                annOpenDate: 20210825000000Z

                """)
            #expect(attach.status == 0, "\(attach.error)")
            // The new membership carries its own derived status in the add (not left "pending" for a later write to fix).
            #expect(try await values(server, "annMemberUid=XXX0606XX11,\(names.group("T1B"))", "annStatus") == ["open"])
            #expect(try await values(server, names.group("T1B"), "member").map { $0.lowercased() } == [lagare.lowercased()])
            let memberOf = try await values(server, lagare, "memberOf").map { $0.lowercased() }
            #expect(memberOf.contains(names.group("T1B").lowercased()))
            #expect(try await values(server, lagare, "annHabilitation").map { $0.lowercased() } == [names.profileT1.lowercased()])
            // Filters see the materialised state (evaluated by slapd).
            let search = try await CommandLineTool.run("ldapsearch", as_(server, names.administrator) + [
                "-LLL", "-b", server.directory.layout.people, "(memberOf=\(names.group("T1B")))", "uid",
            ])
            #expect(search.output.contains("uid: XXX0606XX11"))
            // Closing the membership removes the user from the group at once (R5).
            let close = try await ldif(server, as: names.administrator, """
                dn: annMemberUid=XXX0606XX11,\(names.group("T1B"))
                changetype: modify
                replace: annCloseDate
                annCloseDate: 20220101000000Z

                """)
            #expect(close.status == 0, "\(close.error)")
            #expect(try await values(server, names.group("T1B"), "member").isEmpty)
            #expect(!(try await values(server, lagare, "memberOf").map { $0.lowercased() }.contains(names.group("T1B").lowercased())))
        }
    }

    @Test("the walkthrough's mistakes are refused with the rule named: no responsible (R2), profile not granted (R3), close before open (R2), member of another convention (R5), derived attributes")
    func mistakes() async throws {
        try await TestServer.with { server in
            let names = Names(layout: server.directory.layout)
            func group(_ extra: String) -> String {
                "dn: \(names.group("BAD"))\nchangetype: add\nobjectClass: annGroup\ncn: BAD\nannLabel: Bad\n\(extra)\n"
            }
            let noResponsible = try await ldif(server, as: names.administrator, group("annRole: \(names.profileT1)"))
            #expect(noResponsible.status == 19)
            #expect(noResponsible.error.contains("R2 : un responsable (annResponsible) est obligatoire"))
            let notGranted = try await ldif(server, as: names.administrator, group("annResponsible: \(names.administrator)\nannRole: \(names.profileT2)"))
            #expect(notGranted.status == 19)
            #expect(notGranted.error.contains("R3 : le profil \(names.profileT2) n'est pas accordé"))
            let dates = try await ldif(server, as: names.administrator, group("annResponsible: \(names.administrator)\nannOpenDate: 20260101000000Z\nannCloseDate: 20250101000000Z"))
            #expect(dates.status == 19)
            #expect(dates.error.contains("R2 : la date de clôture (annCloseDate) est antérieure à la date d'ouverture (annOpenDate)"), "\(dates.error)")
            let derived = try await ldif(server, as: names.administrator, group("annResponsible: \(names.administrator)\nmember: \(names.administrator)"))
            #expect(derived.status == 19)
            #expect(derived.error.contains("member est calculé"))
            #expect(try await server.directory.store.read(names.group("BAD")) == nil)
        }
    }

    @Test("R8: another partner's administrator sees none of this partner and can change none of it; a person sees only itself")
    func isolation() async throws {
        try await TestServer.with { server in
            let layout = server.directory.layout
            let names = Names(layout: layout)
            let partner = try await OtherPartner.add(to: server)
            let otherConvention = partner.convention
            let otherAdmin = partner.administrator
            let other = as_(server, otherAdmin, password: OtherPartner.password)
            let everything = try await CommandLineTool.run("ldapsearch", other + ["-LLL", "-b", layout.suffix, "(|(uid=*)(cn=*))", "1.1"])
            #expect(everything.status == 0, "\(everything.error)")
            #expect(!everything.output.contains("XXX0606"))
            #expect(!everything.output.contains("PART0606"))
            #expect(everything.output.contains(otherAdmin))
            #expect(everything.output.contains(otherConvention))
            let intrude = try await ldif(server, as: otherAdmin, password: OtherPartner.password,
                "dn: \(names.group("X1"))\nchangetype: add\nobjectClass: annGroup\ncn: X1\nannLabel: x\nannResponsible: \(otherAdmin)\n")
            // This partner's entries are out of its sight: the answers of missing ones (R8).
            #expect(intrude.status == 32, "\(intrude.error)")
            let touch = try await ldif(server, as: otherAdmin, password: OtherPartner.password,
                "dn: \(layout.user("XXX0606XX06"))\nchangetype: modify\nreplace: telephoneNumber\ntelephoneNumber: 06 00 00 00 01\n")
            #expect(touch.status == 32, "\(touch.error)")
            let escalate = try await ldif(server, as: otherAdmin, password: OtherPartner.password,
                "dn: \(otherAdmin)\nchangetype: modify\nadd: annAdministers\nannAdministers: \(names.convention)\n")
            #expect(escalate.status == 50)
            // A person reads only itself.
            let person = try await CommandLineTool.run("ldapsearch", as_(server, layout.user("XXX0606XX07")) + ["-LLL", "-b", layout.suffix, "(objectClass=*)", "1.1"])
            #expect(person.output.trimmingCharacters(in: .whitespacesAndNewlines) == "dn: \(layout.user("XXX0606XX07"))")
            // The demo administrator still sees its own convention's people.
            let own = try await CommandLineTool.run("ldapsearch", as_(server, names.administrator) + ["-LLL", "-b", layout.people, "(uid=*)", "1.1"])
            #expect(own.output.components(separatedBy: "dn: ").count - 1 == 7)
        }
    }

    @Test("R5: a membership dated tomorrow is absent from memberOf today and present once its date has come (controlled clock)")
    func membershipStartsLater() async throws {
        let today = try #require(GeneralizedTime.date("20260601000000Z"))
        let clock = ManualClock(today.addingTimeInterval(10 * 3600))
        try await TestServer.with(clock: clock) { server in
            let names = Names(layout: server.directory.layout)
            let dupuis = server.directory.layout.user("XXX0606XX06")
            let group = try await ldif(server, as: names.administrator, """
                dn: \(names.group("LATER"))
                changetype: add
                objectClass: annGroup
                cn: LATER
                annLabel: Plus tard
                annOpenDate: 20200101000000Z
                annResponsible: \(names.administrator)
                annRole: \(names.profileT1)

                dn: annMemberUid=XXX0606XX06,\(names.group("LATER"))
                changetype: add
                objectClass: annMembership
                annMemberUid: XXX0606XX06
                annMember: \(dupuis)
                annOpenDate: 20260602000000Z

                """)
            #expect(group.status == 0, "\(group.error)")
            func isMember() async throws -> Bool {
                try await values(server, dupuis, "memberOf").map { $0.lowercased() }.contains(names.group("LATER").lowercased())
            }
            #expect(try await !isMember())
            #expect(try await values(server, "annMemberUid=XXX0606XX06,\(names.group("LATER"))", "annStatus") == ["pending"])
            clock.advance(by: 24 * 3600)
            var next: String?
            repeat { next = try await server.habilitations.reconcile(after: next).next } while next != nil
            #expect(try await isMember())
            #expect(try await values(server, names.group("LATER"), "member").map { $0.lowercased() } == [dupuis.lowercased()])
            // Idempotent: a second pass changes nothing.
            #expect(try await server.habilitations.reconcile().changed == 0)
        }
    }

    @Test("R5, R11, R2: the operator erases a person: its memberships go with it (one the only child of its group: slapd 2.5.13 cannot delete that in a transaction, so it is closed there and deleted after), no group lists it any more, the erasure is recorded; a group's responsible is not erased while it is one")
    func operatorErasesAPerson() async throws {
        try await TestServer.with { server in
            let names = Names(layout: server.directory.layout)
            let layout = server.directory.layout
            let operatorDN = layout.operatorAccount(DemoDirectory.operatorName)
            let durand = layout.user("XXX0606XX10")
            let second = try await ldif(server, as: operatorDN, """
                dn: \(names.group("T1B"))
                changetype: add
                objectClass: annGroup
                cn: T1B
                annLabel: CDAP T1 bis
                annOpenDate: 20200101000000Z
                annResponsible: \(names.administrator)
                annRole: \(names.profileT1)

                dn: annMemberUid=XXX0606XX10,\(names.group("T1B"))
                changetype: add
                objectClass: annMembership
                annMemberUid: XXX0606XX10
                annMember: \(durand)
                annOpenDate: 20200101000000Z

                """)
            #expect(second.status == 0, "\(second.error)")
            #expect(try await values(server, names.group("T1B"), "member").map { $0.lowercased() } == [durand.lowercased()])

            let erased = try await CommandLineTool.run("ldapdelete", as_(server, operatorDN) + [durand])
            #expect(erased.status == 0, "\(erased.output) \(erased.error)")
            #expect(try await server.directory.store.read(durand, attributes: ["1.1"]) == nil)
            for group in ["T1", "T1B"].map(names.group) {
                #expect(try await server.directory.store.read("annMemberUid=XXX0606XX10,\(group)", attributes: ["1.1"]) == nil)
                #expect(try await !values(server, group, "member").map { $0.lowercased() }.contains(durand.lowercased()))
            }
            let world = try await ConventionWorld.load(names.convention, store: server.directory.store, layout: layout)
            #expect(world.derivedChanges(at: Date()).isEmpty, "nothing left to derive after the erasure")
            let events = try await server.directory.store.searchAll(SearchQuery(
                base: layout.history, scope: .singleLevel, filter: "(&(annAction=delete)(annTarget=\(durand)))", attributes: ["annActor"]))
            #expect(events.count == 1, "R11: the erasure is recorded")

            // A group with memberships is not deleted (66), the convention's only group included (closed-then-deleted path).
            let t1 = try await CommandLineTool.run("ldapdelete", as_(server, operatorDN) + [names.group("T1B")])
            #expect(t1.status == 0, "T1B has no membership left: \(t1.error)")
            let busy = try await CommandLineTool.run("ldapdelete", as_(server, operatorDN) + [names.group("T1")])
            #expect(busy.status == 66, "\(busy.status) \(busy.error)")
            #expect(try await values(server, names.group("T1"), "annStatus") == ["open"])
            let responsible = try await CommandLineTool.run("ldapdelete", as_(server, operatorDN) + [names.administrator])
            #expect(responsible.status == 19 && responsible.error.contains("R2"), "\(responsible.status) \(responsible.error)")
            #expect(try await server.directory.store.read(names.administrator, attributes: ["1.1"]) != nil)
        }
    }

    @Test("R8: an application account for Consulter Dossier sees only the users holding one of its profiles, and changes nothing")
    func applicationAccount() async throws {
        try await TestServer.with { server in
            let layout = server.directory.layout
            var next: String?
            repeat { next = try await server.habilitations.reconcile(after: next).next } while next != nil
            let application = layout.operatorAccount("app-cdap")
            let add = try await ldif(server, as: layout.operatorAccount(DemoDirectory.operatorName), """
                dn: \(application)
                changetype: add
                objectClass: inetOrgPerson
                objectClass: annServiceAccount
                uid: app-cdap
                cn: Application CDAP
                sn: CDAP
                annServiceScope: cn=CDAP,\(layout.services)
                userPassword: Application-Secret-2026

                """)
            #expect(add.status == 0, "\(add.error)")
            let seen = try await CommandLineTool.run("ldapsearch", as_(server, application, password: "Application-Secret-2026") + [
                "-LLL", "-b", layout.suffix, "(uid=*)", "uid",
            ])
            #expect(seen.status == 0, "\(seen.error)")
            let uids = Set(seen.output.split(separator: "\n").filter { $0.hasPrefix("uid: ") }.map { String($0.dropFirst(5)) })
            #expect(uids == ["XXX0606XX06", "XXX0606XX07", "XXX0606XX08", "XXX0606XX10", "XXX0606XX11", "app-cdap"])
            let write = try await ldif(server, as: application, password: "Application-Secret-2026",
                "dn: \(layout.user("XXX0606XX06"))\nchangetype: modify\nreplace: telephoneNumber\ntelephoneNumber: 06 00 00 00 02\n")
            #expect(write.status == 50)
        }
    }

    @Test("R11: every change is recorded with actor, action, target and time; a convention's administrator lists its own history, another partner's sees none")
    func history() async throws {
        try await TestServer.with { server in
            let layout = server.directory.layout
            let names = Names(layout: layout)
            let add = try await ldif(server, as: names.administrator, """
                dn: \(names.group("HIST"))
                changetype: add
                objectClass: annGroup
                cn: HIST
                annLabel: Historique
                annResponsible: \(names.administrator)

                """)
            #expect(add.status == 0, "\(add.error)")
            let listing = try await CommandLineTool.run("ldapsearch", as_(server, names.administrator) + [
                "-LLL", "-b", layout.history, "(annTarget=\(names.group("HIST")))", "annActor", "annAction", "annTime", "annConvention",
            ])
            #expect(listing.status == 0, "\(listing.error)")
            #expect(listing.output.contains("annActor: \(names.administrator)"))
            #expect(listing.output.contains("annAction: add"))
            #expect(listing.output.contains("annTime: "))
            #expect(listing.output.lowercased().contains("annconvention: \(names.convention.lowercased())"))
            // A person sees no history; the operator sees it.
            let person = try await CommandLineTool.run("ldapsearch", as_(server, layout.user("XXX0606XX07")) + ["-LLL", "-b", layout.history, "(objectClass=annEvent)", "1.1"])
            #expect(!person.output.contains("annEventId="))
            let operatorView = try await CommandLineTool.run("ldapsearch", as_(server, layout.operatorAccount(DemoDirectory.operatorName)) + [
                "-LLL", "-b", layout.history, "(annAction=add)", "1.1",
            ])
            #expect(operatorView.output.contains("annEventId="))
        }
    }

    @Test("dashboards are searches on the materialised data: closed users, groups without members, temporary passwords not yet replaced, memberships ending soon")
    func dashboards() async throws {
        try await TestServer.with { server in
            let layout = server.directory.layout
            let names = Names(layout: layout)
            let admin = as_(server, names.administrator)
            let closed = try await CommandLineTool.run("ldapsearch", admin + ["-LLL", "-b", layout.people, "(annCloseDate<=20260101000000Z)", "uid"])
            #expect(closed.output.contains("uid: XXX0606XX09"))
            #expect(!closed.output.contains("uid: XXX0606XX06"))
            let emptyGroup = try await ldif(server, as: names.administrator, """
                dn: \(names.group("EMPTY"))
                changetype: add
                objectClass: annGroup
                cn: EMPTY
                annLabel: Sans membre
                annResponsible: \(names.administrator)

                """)
            #expect(emptyGroup.status == 0, "\(emptyGroup.error)")
            let withoutMembers = try await CommandLineTool.run("ldapsearch", admin + ["-LLL", "-b", names.convention, "(&(objectClass=annGroup)(!(member=*)))", "cn"])
            #expect(withoutMembers.output.contains("cn: EMPTY"))
            #expect(!withoutMembers.output.contains("cn: T1\n"))
            let reset = try await CommandLineTool.run("ldappasswd", [
                "-x", "-H", server.url, "-D", layout.operatorAccount(DemoDirectory.operatorName), "-w", DemoDirectory.password, layout.user("XXX0606XX10"),
            ])
            #expect(reset.status == 0)
            let temporary = try await CommandLineTool.run("ldapsearch", admin + ["-LLL", "-b", layout.people, "(pwdReset=TRUE)", "uid"])
            #expect(temporary.output.contains("uid: XXX0606XX10"))
            #expect(!temporary.output.contains("uid: XXX0606XX06"))
            let ending = try await ldif(server, as: names.administrator, """
                dn: annMemberUid=XXX0606XX07,\(names.group("T1"))
                changetype: modify
                replace: annCloseDate
                annCloseDate: 20991231000000Z

                """)
            #expect(ending.status == 0, "\(ending.error)")
            let endingSoon = try await CommandLineTool.run("ldapsearch", admin + [
                "-LLL", "-b", names.convention, "(&(objectClass=annMembership)(annCloseDate>=20990101000000Z)(annCloseDate<=20991231235959Z))", "annMemberUid",
            ])
            #expect(endingSoon.output.contains("annMemberUid: XXX0606XX07"))
        }
    }
}

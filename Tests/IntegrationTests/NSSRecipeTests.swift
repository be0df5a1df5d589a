import AnnuaireTestSupport
import Foundation
import Habilitations
import Testing

/// NSS with nslcd (docs/integrations/sssd-nslcd.md): `getent passwd` and `id`
/// resolve the users habilitated for the service of nslcd's application
/// account, with the RFC 2307 numbers Annuaire allocates (`PosixIdentity`:
/// uidNumber = gidNumber = 100000 + the identifier's number); the closed user
/// and a user holding no profile of the service are unknown; enumeration
/// pages (the server's size limit is 3 here, below the 5 users enumerated, so
/// only a paged enumeration returns them all). nslcd runs in a private mount
/// namespace (`unshare --mount`): the host's /etc/nsswitch.conf, /etc/nslcd.conf
/// and /run are never touched.
@Suite("Recipe: NSS with nslcd (getent, id, paged enumeration)")
struct NSSRecipeTests {
    struct Command: Decodable {
        var status: Int32
        var output: String
        var error: String
    }
    struct Lookup: Decodable {
        var getent: Command
        var id: Command
    }
    struct Enumeration: Decodable {
        var status: Int32
        var lines: [String]
    }
    struct Report: Decodable {
        var error: String?
        var nslcdStarted: Bool?
        var lookups: [String: Lookup]?
        var enumeration: Enumeration?
    }

    static let sizeLimit = 3

    @Test("getent passwd and id resolve a CDAP user with uidNumber 100006; the closed user and the administrator are unknown; getent passwd enumerates the 5 users through pages of 2 past a size limit of 3")
    func nslcdResolvesHabilitatedUsers() async throws {
        try Recipe.requireFile("/usr/sbin/nslcd", package: "nslcd")
        try Recipe.requireFile("/usr/lib/x86_64-linux-gnu/libnss_ldap.so.2", package: "libnss-ldapd")
        let unshare = try await CommandLineTool.run("unshare", ["--mount", "true"])
        try #require(unshare.status == 0, "`unshare --mount` is refused here (it needs root and CAP_SYS_ADMIN): \(unshare.error)")
        try await Recipe.withServer(configure: { $0.searchSizeLimit = Self.sizeLimit }) { server in
            let layout = server.directory.layout
            let nslcd = try await ApplicationAccount.create(server, name: "nslcd")
            let work = try Recipe.temporaryFolder("nss")
            defer { try? FileManager.default.removeItem(atPath: work) }
            try FileManager.default.createDirectory(atPath: "\(work)/run", withIntermediateDirectories: true)
            let configuration = """
                # nslcd.conf(5) for Annuaire (docs/integrations/sssd-nslcd.md)
                uri \(server.url)/
                base \(layout.people)
                binddn \(nslcd.dn)
                bindpw \(nslcd.password)
                filter passwd (objectClass=posixAccount)
                pagesize 2
                timelimit 10
                bind_timelimit 10
                nss_initgroups_ignoreusers ALLLOCAL

                """
            try Recipe.writeSecret(configuration, folder: work, name: "nslcd.conf")
            try Recipe.writeSecret("passwd: ldap\ngroup: files\nshadow: files\n", folder: work, name: "nsswitch.conf")
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: "\(work)/nsswitch.conf")

            let names = ["XXX0606XX06", DemoDirectory.closedUserIdentifier, DemoDirectory.administratorIdentifier]
            let report = try await InteropProgram.run(
                Report.self, "unshare", ["--mount", "--propagation", "private", "python3", Recipe.program("integrations", "nss_nslcd.py")],
                environment: ["WORK": work, "NAMES": names.joined(separator: " "), "PYTHONDONTWRITEBYTECODE": "1"])
            let log = (try? String(contentsOfFile: "\(work)/nslcd.log", encoding: .utf8)) ?? ""
            #expect(report.error == nil, "\(report.error ?? "")")
            try #require(report.nslcdStarted == true, "nslcd did not start: \(log)")
            let lookups = try #require(report.lookups)

            // Allowed: a user habilitated for CDAP, with the allocated numbers.
            let dupuis = try #require(lookups["XXX0606XX06"])
            #expect(dupuis.getent.status == 0, "getent: \(dupuis.getent.error)\n\(log)")
            #expect(dupuis.getent.output == "XXX0606XX06:*:100006:100006:Martin DUPUIS:/home/XXX0606XX06:", "\(dupuis.getent.output)")
            #expect(dupuis.id.status == 0, "\(dupuis.id.error)")
            #expect(dupuis.id.output.hasPrefix("uid=100006(XXX0606XX06) gid=100006"), "\(dupuis.id.output)")

            // Refused: the closed user (R7) and the administrator (no CDAP profile) do not exist for NSS.
            for name in [DemoDirectory.closedUserIdentifier, DemoDirectory.administratorIdentifier] {
                let lookup = try #require(lookups[name])
                #expect(lookup.getent.status == 2, "\(name): \(lookup.getent.output)")
                #expect(lookup.getent.output.isEmpty)
                #expect(lookup.id.status != 0, "\(name): \(lookup.id.output)")
            }

            // Enumeration: all 5 CDAP users although the server returns at most 3 entries per search.
            let enumeration = try #require(report.enumeration)
            #expect(enumeration.status == 0)
            let enumerated = enumeration.lines.compactMap { $0.split(separator: ":").first.map(String.init) }.sorted()
            #expect(enumerated == Recipe.habilitatedForCDAP, "\(enumeration.lines)\n\(log)")
            let uidNumbers = enumeration.lines.compactMap { $0.split(separator: ":", omittingEmptySubsequences: false).dropFirst(2).first }.sorted()
            #expect(uidNumbers == ["100006", "100007", "100008", "100010", "100011"])
        }
    }
}

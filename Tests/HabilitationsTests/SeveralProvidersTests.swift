import AnnuaireTestSupport
import DirectoryBackend
import Foundation
import Habilitations
import LDAPProtocol
import Testing

/// Issue #19's building blocks, on one slapd: the `--backend` provider list, the serverID of a
/// CSN, identifier blocks per serverID (the slapd is given an `olcServerID` as a provider of a
/// replicated directory has), and the reconciler lease.
@Suite("Several providers: provider list, identifier blocks, reconciler lease")
struct SeveralProvidersTests {
    @Test("--backend URI,URI: the order is kept; empty items, spaces inside a URI, other schemes and repeats are refused with what to fix")
    func providerList() throws {
        let list = try BackendProviderList(parsing: "ldap://p1.example:389, ldaps://p2.example:636,ldapi://%2Frun%2Fldapi")
        #expect(list.uris == ["ldap://p1.example:389", "ldaps://p2.example:636", "ldapi://%2Frun%2Fldapi"])
        #expect(list.libldapURI == "ldap://p1.example:389 ldaps://p2.example:636 ldapi://%2Frun%2Fldapi")
        #expect(list.isReplicated)
        #expect(try !BackendProviderList(parsing: "ldap://one").isReplicated)
        for (bad, says) in [
            ("ldap://a,,ldap://b", "empty"), ("ldap://a ldap://b", "space"), ("http://a", "ldap://"), ("ldap://a,LDAP://A", "twice"),
        ] {
            #expect {
                _ = try BackendProviderList(parsing: bad)
            } throws: { error in
                (error as? BackendProviderList.Problem)?.description.contains(says) == true
            }
        }
    }

    @Test("a CSN's serverID is its third field, in hexadecimal; anything else is not a CSN")
    func serverIDOfCSN() {
        #expect(ChangeSequenceNumber.serverID(of: "20261203122139.094931Z#000000#001#000000") == 1)
        #expect(ChangeSequenceNumber.serverID(of: "20261203122139.094931Z#000000#00f#000000") == 15)
        #expect(ChangeSequenceNumber.serverID(of: "20261203122139.094931Z#000000#000#000000") == 0)
        #expect(ChangeSequenceNumber.serverID(of: "20261203122139Z") == nil)
    }

    @Test("failback waits until the preferred provider's contextCSN covers the current one's for every serverID")
    func contextCSNCoverage() {
        let current = ["20261203120000.000000Z#000000#001#000000", "20261203120500.000000Z#000000#002#000000"]
        #expect(ProviderWatch.covers(current, current))
        #expect(!ProviderWatch.covers(["20261203120000.000000Z#000000#001#000000"], current))
        #expect(!ProviderWatch.covers(["20261203120000.000000Z#000000#001#000000", "20261203120400.000000Z#000000#002#000000"], current))
        #expect(ProviderWatch.covers(["20261203120100.000000Z#000000#001#000000", "20261203120500.000000Z#000000#002#000000"], current))
    }

    /// Gives the test slapd a serverID, as a provider of a replicated directory has.
    static func setServerID(_ id: Int, on directory: TestDirectory) async throws {
        let result = try await CommandLineTool.run(
            "ldapmodify", ["-Q", "-Y", "EXTERNAL", "-H", directory.dataDirectory.ldapiURI],
            input: "dn: cn=config\nchangetype: modify\nreplace: olcServerID\nolcServerID: \(id)\n")
        try #require(result.status == 0, "\(result.error)")
    }

    @Test("R4: on a slapd without serverID the shared counter gives the number; on a provider with serverID s, numbers come from its block (≡ s mod 16), above every number given before, never twice")
    func identifierBlocks() async throws {
        try await TestDirectory.with { directory in
            let generator = IdentifierGenerator(store: directory.store, layout: directory.layout)
            let standalone = try await generator.nextNumbered()
            let counter = try await directory.store.read(directory.layout.identifierCounter, attributes: ["annIdentifierCounter"])
            #expect(counter?.values(of: "annIdentifierCounter").first.map { String(decoding: $0, as: UTF8.self) } == String(standalone.number))

            try await Self.setServerID(3, on: directory)
            var numbers: [Int] = []
            for _ in 0..<3 { numbers.append(try await generator.nextNumbered().number) }
            #expect(numbers.allSatisfy { $0 % IdentifierGenerator.blockStride == 3 && $0 > standalone.number }, "\(numbers)")
            #expect(numbers == numbers.sorted() && Set(numbers).count == 3)
            #expect(try await directory.store.read(generator.blockCounter(serverID: 3), attributes: ["1.1"]) != nil)

            // The same directory reached through another provider: another block, no number shared.
            try await Self.setServerID(5, on: directory)
            let other = try await generator.nextNumbered()
            #expect(other.number % IdentifierGenerator.blockStride == 5)
            #expect(!numbers.contains(other.number) && other.number != standalone.number)
            #expect(IdentifierGenerator.format("XXX0606XX{nn}", other.number) == other.identifier)

            try await Self.setServerID(20, on: directory)
            await #expect {
                _ = try await generator.nextNumbered()
            } throws: { error in
                guard let error = error as? LDAPOperationError else { return false }
                return error.code == .unwillingToPerform && error.diagnosticMessage.contains("R4") && error.diagnosticMessage.contains("olcServerID")
            }
        }
    }

    @Test("the reconciler lease: one holder at a time, renewed by its holder, taken over once expired, given up at shutdown; of racing claims exactly one wins")
    func reconcilerLease() async throws {
        try await TestDirectory.with { directory in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
            func lease(_ holder: String) -> ReconcilerLease {
                ReconcilerLease(store: directory.store, layout: directory.layout, holder: holder, duration: 30, clock: clock)
            }
            let first = lease("front-end-1")
            let second = lease("front-end-2")
            #expect(try await first.acquireOrRenew())
            #expect(try await !second.acquireOrRenew())
            clock.advance(by: 25)
            #expect(try await first.acquireOrRenew())  // renewed: good until +55
            clock.advance(by: 20)
            #expect(try await !second.acquireOrRenew())
            clock.advance(by: 40)  // the holder stopped renewing: expired
            #expect(try await second.acquireOrRenew())
            #expect(try await !first.acquireOrRenew())
            let state = try await second.read()?.0
            #expect(state?.holder == "front-end-2")

            await second.release()
            #expect(try await first.acquireOrRenew())
            await first.release()

            // Five front-ends claim a free lease at the same moment: the entryCSN assertion lets one through.
            let racers = (0..<5).map { lease("racer-\($0)") }
            let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
                for racer in racers { group.addTask { try await racer.acquireOrRenew() } }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(wins == 1)
        }
    }
}

import AnnuaireTestSupport
import DirectoryBackend
import Foundation
import Habilitations
import LDAPProtocol
import Testing

/// Issue #14, finding 5: a refused bind answers the same bytes whatever the
/// reason (a DN naming nothing, a wrong password, an account closed, not yet
/// open or locked, an entry without a password): `invalidCredentials`, no
/// diagnostic, and to a client that asked, an empty password policy control
/// (never `accountLocked`). Each costs an argon2 verification (`BindDecoy`;
/// the timing is measured by `Benchmarks/bind-timing.py`, not asserted here).
@Suite("Binds that tell nothing (issue #14 finding 5)")
struct BindAnswersTests {
    /// The bind response PDU to a bind of `dn` with `password`, asking for the policy control or not.
    static func answer(_ server: TestServer, _ dn: String, _ password: String, policy: Bool) async throws -> LDAPMessage {
        let client = try RawLDAPClient(port: server.port)
        let controls = policy ? [LDAPControl(oid: PasswordPolicyControl.oid)] : []
        try await client.send(LDAPMessage(
            messageID: 7, operation: .bindRequest(BindRequest(name: dn, authentication: .simple(password: Array(password.utf8)))), controls: controls))
        return try #require(try await client.receive())
    }

    @Test("missing, wrong password, closed, not yet open, locked (right and wrong password), outside the suffix, no password: the same bytes")
    func sameBytes() async throws {
        try await TestServer.with { server in
            let layout = server.directory.layout
            let operatorDN = layout.operatorAccount(DemoDirectory.operatorName)
            // A person who opens next century.
            let future = layout.user("FUT0000001")
            let add = try await CommandLineTool.run("ldapmodify", ["-x", "-H", server.url, "-D", operatorDN, "-w", DemoDirectory.password], input: """
                dn: \(future)
                changetype: add
                objectClass: inetOrgPerson
                uid: FUT0000001
                cn: Futur USER
                sn: USER
                givenName: Futur
                mail: f.user@partenaire.fr
                annOpenDate: 20990101000000Z
                userPassword: \(DemoDirectory.password)

                """)
            #expect(add.status == 0, "\(add.error)")
            // A locked account: five wrong passwords.
            let locked = layout.user("XXX0606XX11")
            for _ in 0..<5 {
                _ = try await Self.answer(server, locked, "wrong-password", policy: false)
            }
            let cases: [(String, String, String)] = [
                ("a DN naming no entry", layout.user("XXX0606XX99"), DemoDirectory.password),
                ("a wrong password", layout.user("XXX0606XX06"), "wrong-password"),
                ("a closed account, right password", layout.user(DemoDirectory.closedUserIdentifier), DemoDirectory.password),
                ("a closed account, wrong password", layout.user(DemoDirectory.closedUserIdentifier), "wrong-password"),
                ("an account not yet open", future, DemoDirectory.password),
                ("a locked account, right password", locked, DemoDirectory.password),
                ("a locked account, wrong password", locked, "wrong-password"),
                ("a DN outside the directory", "uid=someone,dc=elsewhere,dc=example", DemoDirectory.password),
                ("an entry without a password", "cn=CONV-0606-001,cn=PART0606,\(layout.partners)", DemoDirectory.password),
            ]
            let expectedResponse = ProtocolOperation.bindResponse(BindResponse(result: LDAPResult(code: .invalidCredentials)))
            let emptyPolicy = LDAPControl(oid: PasswordPolicyControl.oid, value: [0x30, 0x00])
            for (name, dn, password) in cases {
                let asked = try await Self.answer(server, dn, password, policy: true)
                #expect(asked == LDAPMessage(messageID: 7, operation: expectedResponse, controls: [emptyPolicy]), "\(name): \(asked)")
                let plain = try await Self.answer(server, dn, password, policy: false)
                #expect(plain == LDAPMessage(messageID: 7, operation: expectedResponse), "\(name): \(plain)")
            }
            // The decoy was hashed against each time and is never locked by it.
            let decoy = try await server.directory.store.read(layout.bindDecoy, attributes: ["pwdAccountLockedTime", "pwdFailureTime"])
            #expect(decoy != nil)
            #expect(decoy?.values(of: "pwdAccountLockedTime").isEmpty == true)
            #expect((decoy?.values(of: "pwdFailureTime").count ?? 0) <= 5)
            // And a right password still opens the account.
            let right = try await Self.answer(server, layout.user("XXX0606XX06"), DemoDirectory.password, policy: true)
            guard case .bindResponse(let response) = right.operation else {
                Issue.record("expected a bind response")
                return
            }
            #expect(response.result.code == .success)
        }
    }
}

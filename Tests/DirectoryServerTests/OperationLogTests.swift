import AnnuaireTestSupport
@testable import DirectoryServer
import Foundation
import Habilitations
import LDAPProtocol
import Logging
import Testing

/// Issue #9, operability: one log line per operation with the connection,
/// the operation, the bound identity and the result code, at a configurable
/// level; and no password, chosen or temporary, anywhere in the logs after
/// binds, password changes, resets, forgot-password and user creation.
@Suite("Operation logs")
struct OperationLogTests {
    static func temporaryPassword(in server: TestServer, to address: String) throws -> String {
        let mail = try #require(try server.maildir.delivered().last {
            $0.contains("To: \(address)") && $0.contains("mot de passe temporaire pour")
        })
        let line = try #require(mail.split(separator: "\r\n").first { $0.contains("mot de passe temporaire") })
        return String(try #require(line.split(separator: " ").last))
    }

    @Test("every operation is one line with connection, operation, identity and result; no password of any kind appears in any log record")
    func operationLinesWithoutPasswords() async throws {
        let capture = LogCapture()
        try await TestServer.with(logger: capture.logger()) { server in
            let layout = server.directory.layout
            let administrator = layout.user(DemoDirectory.administratorIdentifier)
            let wrong = "Wrong-Secret-Guess-77"
            var secrets = [DemoDirectory.password, wrong]
            func tool(_ name: String, _ arguments: [String], input: String? = nil) async throws -> CommandResult {
                try await CommandLineTool.run(name, ["-x", "-H", server.url] + arguments, input: input)
            }
            // Binds: right and wrong passwords.
            #expect(try await tool("ldapwhoami", ["-D", administrator, "-w", DemoDirectory.password]).status == 0)
            #expect(try await tool("ldapwhoami", ["-D", administrator, "-w", wrong]).status == 49)
            // Create-user: a temporary password is mailed.
            let client = try RawLDAPClient(port: server.port)
            #expect(try await FaultsUnderWriteLoadTests.bind(client, administrator) == 0)
            let names = FaultsUnderWriteLoadTests.Names(layout: layout)
            let created = try await FaultsUnderWriteLoadTests.createUser(client, names: names, mail: "log.check@partenaire.fr", id: 2)
            #expect(created.result.code == .success, "\(created.result.diagnosticMessage)")
            let newUser = try CreateUserResponse(value: try #require(created.value))
            let firstTemporary = try Self.temporaryPassword(in: server, to: "log.check@partenaire.fr")
            secrets.append(firstTemporary)
            // The new user changes it by Password Modify, then by Modify (pwdSafeModify: delete old, add new).
            let chosen = "Choisi-Pour-Essai-2026"
            let chosenAgain = "Encore-Un-Autre-Mot-2027"
            secrets += [chosen, chosenAgain]
            let change = try await tool("ldappasswd", ["-D", newUser.dn, "-w", firstTemporary, "-a", firstTemporary, "-s", chosen])
            #expect(change.status == 0, "\(change.output) \(change.error)")
            let modify = try await tool("ldapmodify", ["-D", newUser.dn, "-w", chosen], input: """
                dn: \(newUser.dn)
                changetype: modify
                delete: userPassword
                userPassword: \(chosen)
                -
                add: userPassword
                userPassword: \(chosenAgain)

                """)
            #expect(modify.status == 0, "\(modify.error)")
            // A refused change (weak password) must not log the attempted password either.
            let weak = "court"
            let refused = try await tool("ldappasswd", ["-D", newUser.dn, "-w", chosenAgain, "-a", chosenAgain, "-s", weak])
            #expect(refused.status != 0)
            // The administrator resets another person's password: a temporary one is mailed.
            let reset = try await tool("ldappasswd", ["-D", administrator, "-w", DemoDirectory.password, layout.user("XXX0606XX07")])
            #expect(reset.status == 0, "\(reset.output) \(reset.error)")
            secrets.append(try Self.temporaryPassword(in: server, to: "j.lacroix@partenaire.fr"))
            // Forgot password, anonymously.
            let forgot = ExtendedRequest(name: ForgotPassword.oid, value: ForgotPasswordRequest(identifier: "XXX0606XX06").encoded())
            let anonymous = try RawLDAPClient(port: server.port)
            try await anonymous.send(LDAPMessage(messageID: 1, operation: .extendedRequest(forgot)))
            _ = try await anonymous.receive()
            #expect(await server.recoveryWorkDone())
            // The recovery link's token, then the password chosen with it.
            let token = try server.mailedRecoveryLink(to: "m.dupuis@partenaire.fr").token
            secrets.append(token)
            let recovered = "Retrouve-Mot-2026!"
            secrets.append(recovered)
            let completion = PasswordRecoveryRequest(token: Array(token.utf8), newPassword: Array(recovered.utf8))
            try await anonymous.send(LDAPMessage(messageID: 2, operation: .extendedRequest(ExtendedRequest(name: ForgotPassword.completionOID, value: completion.encoded()))))
            _ = try await anonymous.receive()

            // An operation's line is written once its answer is sent: the last one may still be on its way.
            try await eventually { capture.records.contains { $0.message == "operation" && $0.metadata["operation"] == "completePasswordRecovery" } }
            let records = capture.records
            // No password in any record, at any level (the weak one is too short to search for safely).
            for record in records {
                for secret in secrets {
                    #expect(!record.text.contains(secret), "a password appears in the log: \(record.message)")
                }
            }
            let lines = records.filter { $0.message == "operation" }
            for line in lines {
                for key in ["connection", "messageID", "operation", "identity", "durationMs"] {
                    #expect(line.metadata[key] != nil, "operation line without \(key): \(line.text)")
                }
            }
            func has(_ operation: String, identity: String, result: String, dn: String? = nil) -> Bool {
                lines.contains {
                    $0.metadata["operation"] == operation && $0.metadata["identity"]?.lowercased() == identity.lowercased()
                        && $0.metadata["result"] == result && (dn == nil || $0.metadata["dn"]?.lowercased() == dn?.lowercased())
                }
            }
            #expect(has("bind", identity: administrator, result: "0", dn: administrator))
            #expect(has("bind", identity: "anonymous", result: "49", dn: administrator))
            #expect(has("createUser", identity: administrator, result: "0"))
            #expect(has("passwordModify", identity: newUser.dn, result: "0"))
            #expect(has("modify", identity: newUser.dn, result: "0", dn: newUser.dn))
            #expect(has("passwordModify", identity: newUser.dn, result: "19"))
            #expect(has("passwordModify", identity: administrator, result: "0"))
            #expect(has("forgotPassword", identity: "anonymous", result: "0"))
            #expect(has("completePasswordRecovery", identity: "anonymous", result: "0"))
            #expect(lines.contains { $0.metadata["operation"] == "unbind" && $0.metadata["result"] == nil })
            // One line per operation: each (connection, messageID) once.
            let keys = lines.map { "\($0.metadata["connection"] ?? "")/\($0.metadata["messageID"] ?? "")" }
            #expect(Set(keys).count == keys.count, "an operation was logged twice")
            #expect(records.contains { $0.message == "connection opened" && $0.metadata["client"] == "127.0.0.1" })
        }
    }

    @Test("an operation's duration is logged in milliseconds with three decimals")
    func durationFormat() {
        #expect(OperationLog.milliseconds(.zero) == "0.000")
        #expect(OperationLog.milliseconds(.microseconds(42)) == "0.042")
        #expect(OperationLog.milliseconds(.microseconds(420)) == "0.420")
        #expect(OperationLog.milliseconds(.milliseconds(1234) + .microseconds(5)) == "1234.005")
        #expect(OperationLog.milliseconds(.nanoseconds(999)) == "0.000")
    }

    @Test("the per-operation lines follow the configured level: at debug they are absent from an info logger")
    func configurableLevel() async throws {
        let capture = LogCapture()
        try await TestServer.with(logger: capture.logger(level: .info), configure: { $0.operationLogLevel = .debug }) { server in
            let layout = server.directory.layout
            let result = try await CommandLineTool.run("ldapwhoami", [
                "-x", "-H", server.url, "-D", layout.user("XXX0606XX06"), "-w", DemoDirectory.password,
            ])
            #expect(result.status == 0, "\(result.error)")
            #expect(!capture.records.contains { $0.message == "operation" })
        }
        let verbose = LogCapture()
        try await TestServer.with(logger: verbose.logger(level: .debug), configure: { $0.operationLogLevel = .debug }) { server in
            let layout = server.directory.layout
            _ = try await CommandLineTool.run("ldapwhoami", [
                "-x", "-H", server.url, "-D", layout.user("XXX0606XX06"), "-w", DemoDirectory.password,
            ])
            #expect(verbose.records.contains { $0.message == "operation" && $0.metadata["operation"] == "bind" && $0.level == .debug })
        }
    }
}

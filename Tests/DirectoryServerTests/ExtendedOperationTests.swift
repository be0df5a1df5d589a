import AnnuaireTestSupport
import Habilitations
import LDAPProtocol
import Testing

/// Password Modify (RFC 3062) with ldappasswd, Cancel (RFC 3909) and Abandon
/// (RFC 4511 §4.11) on a large search, and the search size limit (§4.5.1.4).
@Suite("Extended operations, Cancel, Abandon and limits")
struct ExtendedOperationTests {
    @Test("ldappasswd: a person changes their own password with the old one; an operator resets one and gets a generated password")
    func passwordModify() async throws {
        try await TestServer.with { server in
            let layout = server.directory.layout
            let me = layout.user("XXX0606XX08")
            let change = try await CommandLineTool.run("ldappasswd", [
                "-x", "-H", server.url, "-D", me, "-w", DemoDirectory.password, "-a", DemoDirectory.password, "-s", "Nouveau-Secret-2026",
            ])
            #expect(change.status == 0, "\(change.error)")
            let oldFails = try await CommandLineTool.run("ldapwhoami", ["-x", "-H", server.url, "-D", me, "-w", DemoDirectory.password])
            #expect(oldFails.status == 49)
            let newWorks = try await CommandLineTool.run("ldapwhoami", ["-x", "-H", server.url, "-D", me, "-w", "Nouveau-Secret-2026"])
            #expect(newWorks.status == 0, "\(newWorks.error)")
            let wrongOld = try await CommandLineTool.run("ldappasswd", [
                "-x", "-H", server.url, "-D", me, "-w", "Nouveau-Secret-2026", "-a", "not-it", "-s", "Autre-Secret-2026",
            ])
            #expect(wrongOld.status != 0)
            #expect(wrongOld.output.contains("Invalid credentials (49)"))
            let noOld = try await CommandLineTool.run("ldappasswd", ["-x", "-H", server.url, "-D", me, "-w", "Nouveau-Secret-2026", "-s", "x"])
            #expect(noOld.output.contains("Server is unwilling to perform (53)"))
            let notMine = try await CommandLineTool.run("ldappasswd", [
                "-x", "-H", server.url, "-D", me, "-w", "Nouveau-Secret-2026", layout.user("XXX0606XX06"),
            ])
            // Another person is out of its sight: the answer of a missing entry (R8).
            #expect(notMine.output.contains("No such object (32)"), "\(notMine.output)")
            // An operator's reset generates a temporary password and mails it: the operator never sees it (R6).
            let reset = try await CommandLineTool.run("ldappasswd", [
                "-x", "-H", server.url, "-D", layout.operatorAccount(DemoDirectory.operatorName), "-w", DemoDirectory.password,
                layout.user("XXX0606XX10"),
            ])
            #expect(reset.status == 0, "\(reset.error)")
            #expect(!reset.output.contains("New password"))
            let mails = try server.maildir.delivered()
            #expect(mails.count == 1)
            #expect(mails.first?.contains("To: l.durand@partenaire.fr") == true)
        }
    }

    /// Adds `count` people in one transaction, for searches that take a while.
    func addPeople(_ server: TestServer, count: Int) async throws {
        let people = server.directory.layout.people
        try await server.directory.store.transaction { writer in
            for index in 0..<count {
                try writer.add(dn: "uid=BULK\(index),\(people)", attributes: [
                    PartialAttribute(type: "objectClass", strings: ["inetOrgPerson"]),
                    PartialAttribute(type: "uid", strings: ["BULK\(index)"]),
                    PartialAttribute(type: "cn", strings: ["Bulk \(index)"]),
                    PartialAttribute(type: "sn", strings: ["BULK"]),
                ])
            }
        }
    }

    func bindOperator(_ client: RawLDAPClient, _ server: TestServer) async throws {
        let dn = server.directory.layout.operatorAccount(DemoDirectory.operatorName)
        try await client.send(LDAPMessage(messageID: 1, operation: .bindRequest(BindRequest(name: dn, authentication: .simple(password: Array(DemoDirectory.password.utf8))))))
        guard case .bindResponse(let response) = try #require(try await client.receive()).operation else {
            Issue.record("expected a bind response")
            return
        }
        #expect(response.result.code == .success)
    }

    @Test("Abandon stops a large search (no SearchResultDone); Cancel answers canceled (118) then success; the connection goes on")
    func abandonAndCancel() async throws {
        try await TestServer.with(configure: { $0.searchSizeLimit = 0 }) { server in
            try await addPeople(server, count: 3000)
            let search = ProtocolOperation.searchRequest(SearchRequest(
                baseObject: server.directory.layout.people, scope: .singleLevel, sizeLimit: 0, filter: .present("objectClass"), attributes: ["cn"]))
            let client = try RawLDAPClient(port: server.port)
            try await bindOperator(client, server)

            // The search and its Abandon in one write: the server reads both before the search is done.
            try await client.send(
                try LDAPMessage(messageID: 2, operation: search).serializedBytes()
                    + LDAPMessage(messageID: 3, operation: .abandonRequest(2)).serializedBytes()
                    + LDAPMessage(messageID: 4, operation: .extendedRequest(ExtendedRequest(name: "1.3.6.1.4.1.4203.1.11.3"))).serializedBytes())
            var abandonedEntries = 0
            var sawDoneForAbandoned = false
            while let message = try await client.receive() {
                if message.messageID == 4 { break }
                if case .searchResultDone = message.operation, message.messageID == 2 { sawDoneForAbandoned = true }
                if case .searchResultEntry = message.operation { abandonedEntries += 1 }
            }
            #expect(!sawDoneForAbandoned)
            #expect(abandonedEntries < 3000)

            // The same with Cancel.
            try await client.send(
                try LDAPMessage(messageID: 5, operation: search).serializedBytes()
                    + LDAPMessage(messageID: 6, operation: .extendedRequest(ExtendedRequest(name: CancelRequest.oid, value: CancelRequest(cancelID: 5).encoded()))).serializedBytes())
            var canceledResult: LDAPResultCode?
            var cancelResult: LDAPResultCode?
            while cancelResult == nil, let message = try await client.receive() {
                switch (message.messageID, message.operation) {
                case (5, .searchResultDone(let result)): canceledResult = result.code
                case (6, .extendedResponse(let response)): cancelResult = response.result.code
                default: break
                }
            }
            #expect(canceledResult == .canceled)
            #expect(cancelResult == .success)
            try await client.send(LDAPMessage(messageID: 7, operation: .extendedRequest(ExtendedRequest(name: CancelRequest.oid, value: CancelRequest(cancelID: 99).encoded()))))
            guard case .extendedResponse(let unknown) = try #require(try await client.receive()).operation else {
                Issue.record("expected an extended response")
                return
            }
            #expect(unknown.result.code == .noSuchOperation)
        }
    }

    @Test("a search capped by the server's size limit ends with sizeLimitExceeded (4); the client's own limit too")
    func sizeLimits() async throws {
        try await TestServer.with(configure: { $0.searchSizeLimit = 3 }) { server in
            let layout = server.directory.layout
            let base = ["-x", "-H", server.url, "-D", layout.operatorAccount(DemoDirectory.operatorName), "-w", DemoDirectory.password]
            // The server's limit: the client asks for everything (-z none), the server stops at 3.
            let serverLimit = try await CommandLineTool.run("ldapsearch", base + ["-b", layout.people, "-s", "one", "-z", "none", "1.1"])
            #expect(serverLimit.status == 4, "\(serverLimit.error)")
            #expect(serverLimit.output.contains("# numEntries: 3"), "\(serverLimit.output)")
            // Below the server's limit, the client's own limit applies.
            let clientLimit = try await CommandLineTool.run("ldapsearch", base + ["-b", layout.people, "-s", "one", "-z", "2", "1.1"])
            #expect(clientLimit.status == 4, "\(clientLimit.error)")
            #expect(clientLimit.output.contains("# numEntries: 2"), "\(clientLimit.output)")
            // A base-object read is one entry: within any limit.
            let one = try await CommandLineTool.run("ldapsearch", base + ["-b", layout.user("XXX0606XX06"), "-s", "base", "1.1"])
            #expect(one.status == 0, "\(one.error)")
        }
    }
}

import AnnuaireTestSupport
import DirectoryServer
import Foundation
import Habilitations
import Testing

/// The front-end driven by real LDAP clients other than ldap-utils: python
/// `ldap3` (pure python), `python-ldap` (libldap underneath) and Java's JNDI.
/// Each program in Tests/Interop/ runs one scenario against a `TestServer`
/// and prints what it observed as one JSON object; these tests check it.
/// `make test` installs the python modules (its `deps` step).
@Suite("Other LDAP clients (ldap3, python-ldap, JNDI) against the front-end")
struct InteropClientTests {
    static let password = DemoDirectory.password
    static let pagedResultsOID = "1.2.840.113556.1.4.319"
    static let whoAmIOID = "1.3.6.1.4.1.4203.1.11.3"

    /// Tests/Interop/, found from this file's path.
    static let interop = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Interop")

    static func pythonScript(_ name: String) -> String {
        interop.appendingPathComponent("python").appendingPathComponent(name).path
    }

    /// The 7 inetOrgPerson entries under ou=people in the demo: the administrator and the six users.
    static let peopleIdentifiers = ([DemoDirectory.administratorIdentifier] + DemoDirectory.userIdentifiers).sorted()

    /// What every program reads: the server, the suffix, the administrator's credentials.
    static func environment(_ server: TestServer, _ extra: [String: String] = [:]) -> [String: String] {
        let layout = server.directory.layout
        var environment = [
            "LDAP_URL": server.url,
            "BASE_DN": layout.suffix,
            "BASE_DN_PEOPLE": layout.people,
            "BIND_DN": layout.user(DemoDirectory.administratorIdentifier),
            "BIND_PASSWORD": password,
            "PYTHONDONTWRITEBYTECODE": "1",
        ]
        environment.merge(extra) { _, new in new }
        return environment
    }

    // MARK: - ldap3

    struct DiscoveryReport: Decodable {
        struct Bind: Decodable {
            var bound: Bool
            var result: Int?
            var description: String?
            var whoAmI: String?
        }
        struct Entry: Decodable {
            var dn: String
            var cn: [String]
            var mail: [String]
            var memberOf: [String]
        }
        struct Search: Decodable {
            var result: Int?
            var description: String?
            var exception: String?
            var entries: [Entry]
        }
        var anonymous: Bind
        var bound: Bind
        var infoLoaded: Bool
        var namingContexts: [String]
        var supportedLdapVersions: [String]
        var supportedExtensions: [String]
        var supportedControls: [String]
        var schemaLoaded: Bool
        var schemaHasAnnGroup: Bool
        var schemaHasAnnOpenDate: Bool
        var schemaHasMemberOf: Bool
        var search: Search
    }

    @Test("ldap3 with get_info=ALL reads the root DSE and the schema, and check_names=True accepts (sn=DUP*) with cn, mail, memberOf")
    func ldap3DiscoveryAndSchema() async throws {
        try await InteropProgram.requirePython(module: "ldap3", install: "python3 -m pip install ldap3")
        try await TestServer.with { server in
            let layout = server.directory.layout
            let report = try await InteropProgram.run(
                DiscoveryReport.self, "python3", [Self.pythonScript("discovery_and_schema.py")], environment: Self.environment(server)
            )
            #expect(report.anonymous.bound && report.anonymous.result == 0)
            #expect((report.anonymous.whoAmI ?? "").isEmpty, "anonymous Who am I: \(report.anonymous.whoAmI ?? "")")
            #expect(report.infoLoaded)
            #expect(report.namingContexts == [layout.suffix])
            #expect(report.supportedLdapVersions == ["3"])
            #expect(report.supportedExtensions.contains(Self.whoAmIOID))
            #expect(report.schemaLoaded)
            #expect(report.schemaHasAnnGroup)
            #expect(report.schemaHasAnnOpenDate)
            #expect(report.schemaHasMemberOf)

            #expect(report.bound.bound && report.bound.result == 0)
            #expect(report.bound.whoAmI == "dn:\(layout.user(DemoDirectory.administratorIdentifier))")

            #expect(report.search.exception == nil, "check_names rejected the search: \(report.search.exception ?? "")")
            #expect(report.search.result == 0)
            let entries = report.search.entries.sorted { $0.dn < $1.dn }
            #expect(entries.map(\.dn) == [layout.user("XXX0606XX06"), layout.user("XXX0606XX08")])
            guard entries.count == 2 else { return }
            #expect(entries[0].cn == ["Martin DUPUIS"])
            #expect(entries[0].mail == ["m.dupuis@partenaire.fr"])
            #expect(entries[1].cn == ["Noémie DUPONT"])
            #expect(entries[1].mail == ["n.dupont@partenaire.fr"])
            let groupT1 = "cn=T1,cn=CONV-0606-001,cn=PART0606,\(layout.partners)"
            #expect(entries.allSatisfy { $0.memberOf == [groupT1] }, "memberOf: \(entries.map(\.memberOf))")
        }
    }

    struct PagedReport: Decodable {
        struct Generator: Decodable {
            var entries: Int?
            var pages: Int
            var uids: [String]?
            var exception: String?
            var lastResult: Int?
        }
        struct Manual: Decodable {
            var pages: Int
            var entries: Int
            var pageEntries: [Int]
            var pageResults: [Int?]
            var responseControlOnEveryPage: Bool
            var endedWithEmptyCookie: Bool
            var uids: [String]
            var lastMessage: String?
        }
        var bound: Bool
        var supportedControls: [String]
        var generator: Generator
        var manual: Manual
    }

    @Test("ldap3 paged_search with paged_size=2 gets the 7 people in 4 pages, by its generator and by hand with paged_cookie")
    func ldap3PagedSearch() async throws {
        try await InteropProgram.requirePython(module: "ldap3", install: "python3 -m pip install ldap3")
        try await TestServer.with { server in
            let report = try await InteropProgram.run(
                PagedReport.self, "python3", [Self.pythonScript("paged_search.py")], environment: Self.environment(server, ["PAGE_SIZE": "2"])
            )
            #expect(report.bound)
            #expect(report.supportedControls.contains(Self.pagedResultsOID), "the root DSE does not advertise paged results: \(report.supportedControls)")

            #expect(report.generator.exception == nil, "\(report.generator.exception ?? "")")
            #expect(report.generator.entries == 7)
            #expect(report.generator.uids == Self.peopleIdentifiers)
            #expect(report.generator.pages == 4)
            #expect(report.generator.lastResult == 0)

            #expect(report.manual.entries == 7)
            #expect(report.manual.uids == Self.peopleIdentifiers)
            #expect(report.manual.pages == 4)
            #expect(report.manual.pageEntries == [2, 2, 2, 1])
            #expect(report.manual.pageResults.allSatisfy { $0 == 0 })
            #expect(report.manual.responseControlOnEveryPage, "a page came without the paged results response control")
            #expect(report.manual.endedWithEmptyCookie)
        }
    }

    struct BindFailuresReport: Decodable {
        struct Attempt: Decodable {
            var dn: String
            var bound: Bool
            var result: Int?
            var description: String?
            var message: String?
        }
        var correct: Attempt
        var wrongPassword: Attempt
        var unknownUser: Attempt
        var closedUser: Attempt
    }

    @Test("ldap3 gets invalidCredentials (49) alike for a wrong password, an unknown user and the closed user XXX0606XX09")
    func ldap3BindFailures() async throws {
        try await InteropProgram.requirePython(module: "ldap3", install: "python3 -m pip install ldap3")
        try await TestServer.with { server in
            let layout = server.directory.layout
            let report = try await InteropProgram.run(
                BindFailuresReport.self, "python3", [Self.pythonScript("bind_failures.py")],
                environment: Self.environment(server, [
                    "UNKNOWN_DN": layout.user("XXX0606XX99"),
                    "CLOSED_DN": layout.user(DemoDirectory.closedUserIdentifier),
                ])
            )
            #expect(report.correct.bound && report.correct.result == 0, "the administrator's own bind failed: \(report.correct)")
            let failures = [report.wrongPassword, report.unknownUser, report.closedUser]
            for failure in failures {
                #expect(!failure.bound, "\(failure.dn)")
                #expect(failure.result == 49, "\(failure.dn): \(failure.result.map(String.init) ?? "nil") \(failure.description ?? "")")
                #expect(failure.description == "invalidCredentials", "\(failure.dn)")
            }
            #expect(Set(failures.map { $0.message ?? "" }).count == 1, "the three failures must not be told apart: \(failures.map(\.message))")
        }
    }

    // MARK: - python-ldap

    struct PythonLDAPReport: Decodable {
        struct Outcome: Decodable {
            var result: Int?
            var description: String?
            var info: String?
        }
        struct Paged: Decodable {
            var result: Int?
            var description: String?
            var info: String?
            var pages: Int
            var entries: Int
            var pageEntries: [Int]
            var pagesWithResponseControl: Int
            var endedWithEmptyCookie: Bool
            var uids: [String]
        }
        var bind: Outcome
        var whoAmI: String?
        var paged: Paged
    }

    @Test("python-ldap binds, answers whoami_s, and pages the 7 people by 3 (critical SimplePagedResultsControl) in 3 pages")
    func pythonLDAP() async throws {
        try await InteropProgram.requirePython(module: "ldap", install: "python3 -m pip install python-ldap")
        try await TestServer.with { server in
            let layout = server.directory.layout
            let report = try await InteropProgram.run(
                PythonLDAPReport.self, "python3", [Self.pythonScript("python_ldap_check.py")],
                environment: Self.environment(server, ["PAGE_SIZE": "3"])
            )
            #expect(report.bind.result == 0, "\(report.bind)")
            #expect(report.whoAmI == "dn:\(layout.user(DemoDirectory.administratorIdentifier))")

            let paged = report.paged
            #expect(paged.result == 0, "paged search failed: \(paged.result.map(String.init) ?? "nil") \(paged.description ?? "") \(paged.info ?? "")")
            #expect(paged.entries == 7)
            #expect(paged.uids == Self.peopleIdentifiers)
            #expect(paged.pages == 3)
            #expect(paged.pageEntries == [3, 3, 1])
            #expect(paged.pagesWithResponseControl == 3)
            #expect(paged.endedWithEmptyCookie)
        }
    }

    // MARK: - JNDI

    struct JNDIReport: Decodable {
        struct Paged: Decodable {
            var entries: Int
            var pages: Int
            var pageEntries: [Int]
            var pagesWithResponseControl: Int
            var endedWithEmptyCookie: Bool
            var uids: [String]
            var error: String?
            var errorCode: Int?
        }
        struct WrongPassword: Decodable {
            var exception: String?
            var authenticationException: Bool
            var message: String?
            var code: Int?
        }
        var bound: Bool
        var paged: Paged
        var wrongPassword: WrongPassword
    }

    @Test("JNDI pages the 7 people by 2 (critical PagedResultsControl) in 4 pages; a wrong password is an AuthenticationException with error code 49")
    func jndi() async throws {
        try await InteropProgram.requireJava()
        try await TestServer.with { server in
            let source = Self.interop.appendingPathComponent("java").appendingPathComponent("PagedSearch.java").path
            let report = try await InteropProgram.run(
                JNDIReport.self, "java", [source], environment: Self.environment(server, ["PAGE_SIZE": "2"])
            )
            #expect(report.bound)
            let paged = report.paged
            #expect(paged.error == nil, "\(paged.error ?? "")")
            #expect(paged.entries == 7)
            #expect(paged.uids == Self.peopleIdentifiers)
            #expect(paged.pages == 4)
            #expect(paged.pageEntries == [2, 2, 2, 1])
            #expect(paged.pagesWithResponseControl == 4)
            #expect(paged.endedWithEmptyCookie)

            #expect(report.wrongPassword.authenticationException, "\(report.wrongPassword.exception ?? "no exception")")
            #expect(report.wrongPassword.code == 49)
            #expect(report.wrongPassword.message?.contains("[LDAP: error code 49") == true, "\(report.wrongPassword.message ?? "")")
        }
    }
}

// MARK: - TLS: StartTLS and LDAPS with ldap3 and JNDI

/// The same clients over TLS, trusting only the server's generated
/// self-signed certificate. The server runs with `requireTLS`, so a simple
/// bind that succeeds proves it was made inside TLS (in clear it gets 13).
extension InteropClientTests {
    /// A TestServer with StartTLS, LDAPS on an ephemeral port and `requireTLS`; `body` gets the PEM of its certificate.
    static func withTLSServer(_ body: (TestServer, _ certificatePath: String, _ ldapsPort: Int) async throws -> Void) async throws {
        try await TestServer.withTLS(requireTLS: true) { server, certificatePath in
            let ldapsPort = try #require(server.ldapsPort, "the TLS-enabled TestServer has no LDAPS port")
            try await body(server, certificatePath, ldapsPort)
        }
    }

    struct LDAP3TLSReport: Decodable {
        struct Outcome: Decodable {
            var result: Int?
            var description: String?
        }
        struct StartTLS: Decodable {
            var started: Bool
            var tlsStarted: Bool?
            var startTls: Outcome?
            var bound: Bool
            var bind: Outcome?
            var whoAmI: String?
            var tlsVersion: String?
            var exception: String?
        }
        struct LDAPS: Decodable {
            var bound: Bool
            var bind: Outcome?
            var whoAmI: String?
            var tlsVersion: String?
            var exception: String?
            var verificationFailed: Bool
        }
        var startTls: StartTLS
        var ldaps: LDAPS
        var untrusted: LDAPS
    }

    @Test("ldap3 trusting only the server certificate: start_tls() then bind and who_am_i, ldaps:// bind and who_am_i; another CA fails verification")
    func ldap3StartTLSAndLDAPS() async throws {
        try await InteropProgram.requirePython(module: "ldap3", install: "python3 -m pip install ldap3")
        // A CA that did not issue the server's certificate: another self-signed one, same subject name, other key.
        let otherFolder = try TestDirectory.makeTemporaryFolder("interop-other-ca")
        defer { try? FileManager.default.removeItem(atPath: otherFolder) }
        let (other, _) = try ServerCertificate.loadOrGenerateSelfSigned(in: URL(fileURLWithPath: otherFolder), hostnames: ["127.0.0.1"])
        try await Self.withTLSServer { server, certificatePath, ldapsPort in
            let dn = "dn:\(server.directory.layout.user(DemoDirectory.administratorIdentifier))"
            let report = try await InteropProgram.run(
                LDAP3TLSReport.self, "python3", [Self.pythonScript("starttls.py")],
                environment: Self.environment(server, [
                    "LDAPS_PORT": String(ldapsPort),
                    "CA_FILE": certificatePath,
                    "UNTRUSTED_CA_FILE": other.certificatePath,
                ])
            )
            let startTLS = report.startTls
            #expect(startTLS.exception == nil, "\(startTLS.exception ?? "")")
            #expect(startTLS.started && startTLS.tlsStarted == true, "start_tls(): \(String(describing: startTLS.startTls))")
            #expect(startTLS.startTls?.result == 0)
            #expect(startTLS.tlsVersion?.hasPrefix("TLSv1.") == true, "\(startTLS.tlsVersion ?? "no TLS version")")
            #expect(startTLS.bound && startTLS.bind?.result == 0, "bind after StartTLS: \(String(describing: startTLS.bind))")
            #expect(startTLS.whoAmI == dn)

            let ldaps = report.ldaps
            #expect(ldaps.exception == nil, "\(ldaps.exception ?? "")")
            #expect(ldaps.bound && ldaps.bind?.result == 0, "ldaps bind: \(String(describing: ldaps.bind))")
            #expect(ldaps.tlsVersion?.hasPrefix("TLSv1.") == true, "\(ldaps.tlsVersion ?? "no TLS version")")
            #expect(ldaps.whoAmI == dn)

            let untrusted = report.untrusted
            #expect(!untrusted.bound, "ldap3 accepted the server's certificate while trusting another CA")
            #expect(untrusted.whoAmI == nil)
            #expect(untrusted.verificationFailed, "not a certificate verification failure: \(untrusted.exception ?? "no exception")")
        }
    }

    struct JNDITLSReport: Decodable {
        struct StartTLS: Decodable {
            var negotiated: Bool
            var `protocol`: String?
            var bound: Bool
            var whoAmI: String?
            var ownEntryUid: String?
            var error: String?
        }
        struct LDAPS: Decodable {
            var bound: Bool
            var socketFactoryUsed: Bool
            var `protocol`: String?
            var whoAmI: String?
            var ownEntryUid: String?
            var error: String?
        }
        var startTls: StartTLS
        var ldaps: LDAPS
    }

    @Test("JNDI trusting only the server certificate: StartTlsRequest + negotiate, then a simple bind and Who am I over TLS; ldaps:// with its own socket factory")
    func jndiStartTLSAndLDAPS() async throws {
        try await InteropProgram.requireJava()
        try await Self.withTLSServer { server, certificatePath, ldapsPort in
            let identifier = DemoDirectory.administratorIdentifier
            let dn = "dn:\(server.directory.layout.user(identifier))"
            let source = Self.interop.appendingPathComponent("java").appendingPathComponent("StartTls.java").path
            let report = try await InteropProgram.run(
                JNDITLSReport.self, "java", [source],
                environment: Self.environment(server, ["LDAPS_PORT": String(ldapsPort), "CA_FILE": certificatePath])
            )
            let startTLS = report.startTls
            #expect(startTLS.error == nil, "\(startTLS.error ?? "")")
            #expect(startTLS.negotiated)
            #expect(startTLS.protocol?.hasPrefix("TLSv1.") == true, "\(startTLS.protocol ?? "no TLS protocol")")
            #expect(startTLS.bound)
            #expect(startTLS.whoAmI == dn)
            #expect(startTLS.ownEntryUid == identifier)

            let ldaps = report.ldaps
            #expect(ldaps.error == nil, "\(ldaps.error ?? "")")
            #expect(ldaps.socketFactoryUsed, "JNDI did not use java.naming.ldap.factory.socket")
            #expect(ldaps.protocol?.hasPrefix("TLSv1.") == true, "\(ldaps.protocol ?? "no TLS protocol")")
            #expect(ldaps.bound)
            #expect(ldaps.whoAmI == dn)
            #expect(ldaps.ownEntryUid == identifier)
        }
    }
}

import AnnuaireTestSupport
import LibLDAP
import DirectoryServer
import Foundation
import Testing

/// `DirectoryClient` negotiates StartTLS when the root DSE offers it,
/// trusting the CA of `LDAPTLS_CACERT` / `--ca-cert`; ldaps:// works too.
@Suite("CLI: TLS")
struct TLSConnectionTests {
    static func withTLSServer(_ body: (TestServer, String) async throws -> Void) async throws {
        try await TestServer.withTLS(requireTLS: true, body)
    }

    @Test("StartTLS is negotiated by default with LDAPTLS_CACERT, so a server requiring TLS accepts the bind; ldaps:// works; an untrusted certificate exits 69")
    func startTLS() async throws {
        try await Self.withTLSServer { (server: TestServer, certificate: String) async throws in
            // DirectoryClient blocks (libldap): on a thread of its own, never on the
            // cooperative threads the in-process server needs to answer it.
            let url = server.url
            let (encrypted, surname) = try await OffPool.run { () throws -> (Bool, [[UInt8]]?) in
                let client = try DirectoryClient(uri: url, caCertificateFile: certificate)
                defer { client.close() }
                try client.bind(dn: CLI.administrator, password: Array(DemoPassword.value.utf8))
                return (client.isEncrypted, try client.read(CLI.administrator, attributes: ["sn"])?.values(of: "sn"))
            }
            #expect(encrypted)
            #expect(surname == [Array("MOREAU".utf8)])

            var cli = CLI(server)
            cli.environment["LDAPTLS_CACERT"] = certificate
            let list = await cli("user", "list", "--group", "T1", "--format", "csv", "--csv-style", "rfc4180")
            #expect(list.status == 0, "\(list.error)")
            #expect(CSVReader.records(list.output).count == 5)

            let clear = await CLI(server)("user", "list", "--tls", "off")
            #expect(clear.status == 77, "\(clear.error)")  // confidentialityRequired (13)

            let untrusted = await CLI(server)("user", "list")
            #expect(untrusted.status == 69, "\(untrusted.error)")

            let ldapsPort = try #require(server.ldapsPort, "the TLS test server has no LDAPS listener: TestServer.withTLS asks for one on an ephemeral port")
            var ldaps = CLI(server)
            ldaps.url = "ldaps://127.0.0.1:\(ldapsPort)"
            ldaps.environment["LDAPTLS_CACERT"] = certificate
            let shown = await ldaps("user", "show", "XXX0606XX06", "--format", "json")
            #expect(shown.status == 0, "\(shown.error)")
            #expect(try JSONReader.object(shown.output)["lastName"] as? String == "DUPUIS")
        }
    }

    @Test("--tls required against a server without StartTLS fails with exit 69")
    func requiredButAbsent() async throws {
        try await TestServer.with { (server: TestServer) async throws in
            let result = await CLI(server)("user", "list", "--tls", "required")
            #expect(result.status == 69)
            #expect(result.error.contains("StartTLS"))
        }
    }
}

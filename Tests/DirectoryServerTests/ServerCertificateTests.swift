import AnnuaireTestSupport
import DirectoryServer
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import SwiftASN1
import Testing
import X509

/// The TLS material for LDAPS and StartTLS (RFC 4513 §3): the generated
/// self-signed certificate, its files, and the errors of `load`.
@Suite("Server TLS certificate")
struct ServerCertificateTests {
    /// A fresh folder under /tmp, removed after `body`.
    private func withTemporaryFolder<T>(_ body: (URL) async throws -> T) async throws -> T {
        let base = URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("annuaire-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        return try await body(base)
    }

    private func mode(of url: URL) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    private func parsedLeaf(_ url: URL) throws -> Certificate {
        try Certificate(pemEncoded: String(decoding: try Data(contentsOf: url), as: UTF8.self))
    }

    @Test("a missing folder is created 0700 with server.key 0600 (PKCS#8) and server.crt 0644")
    func generation() async throws {
        try await withTemporaryFolder { base in
            let folder = base.appendingPathComponent("tls")
            let (certificate, generated) = try ServerCertificate.loadOrGenerateSelfSigned(
                in: folder, hostnames: ["ldap.example.org"])
            #expect(generated)
            #expect(certificate.certificateChain.count == 1)
            #expect(try mode(of: folder) == 0o700)
            #expect(try mode(of: folder.appendingPathComponent("server.key")) == 0o600)
            #expect(try mode(of: folder.appendingPathComponent("server.crt")) == 0o644)
            let keyText = String(decoding: try Data(contentsOf: folder.appendingPathComponent("server.key")), as: UTF8.self)
            #expect(keyText.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
            #expect(!certificate.description.contains("PRIVATE"))
            _ = try certificate.makeServerContext()
        }
    }

    @Test("the second call loads the same certificate instead of generating one")
    func secondCallLoads() async throws {
        try await withTemporaryFolder { folder in
            let (first, firstGenerated) = try ServerCertificate.loadOrGenerateSelfSigned(in: folder, hostnames: [])
            let (second, secondGenerated) = try ServerCertificate.loadOrGenerateSelfSigned(in: folder, hostnames: [])
            #expect(firstGenerated)
            #expect(!secondGenerated)
            #expect(second.sha256Fingerprint == first.sha256Fingerprint)
            #expect(second.certificateChain == first.certificateChain)
        }
    }

    @Test("the SHA-256 fingerprint is the one openssl x509 -fingerprint prints")
    func fingerprintMatchesOpenSSL() async throws {
        try await withTemporaryFolder { folder in
            let (certificate, _) = try ServerCertificate.loadOrGenerateSelfSigned(in: folder, hostnames: [])
            let result = try await CommandLineTool.run(
                "openssl", ["x509", "-noout", "-fingerprint", "-sha256", "-in", folder.appendingPathComponent("server.crt").path])
            #expect(result.status == 0, "\(result.error)")
            let printed = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
                .split(separator: "=", maxSplits: 1).last.map { String($0) }
            #expect(printed == certificate.sha256Fingerprint)
            #expect(certificate.sha256Fingerprint.count == 32 * 3 - 1)
        }
    }

    @Test("the certificate names localhost, 127.0.0.1, ::1 and the given hosts, as a TLS server leaf")
    func profile() async throws {
        try await withTemporaryFolder { folder in
            _ = try ServerCertificate.loadOrGenerateSelfSigned(in: folder, hostnames: ["LDAP.Example.org", "192.0.2.7"])
            let leaf = try parsedLeaf(folder.appendingPathComponent("server.crt"))
            let names = Array(try #require(try leaf.extensions.subjectAlternativeNames))
            var dnsNames: [String] = []
            var addresses: [[UInt8]] = []
            for name in names {
                switch name {
                case .dnsName(let dns): dnsNames.append(dns)
                case .ipAddress(let octets): addresses.append(Array(octets.bytes))
                default: break
                }
            }
            #expect(dnsNames.contains("localhost"))
            #expect(dnsNames.contains("ldap.example.org"))
            #expect(addresses.contains([127, 0, 0, 1]))
            #expect(addresses.contains([192, 0, 2, 7]))
            #expect(addresses.contains([UInt8](repeating: 0, count: 15) + [1]))

            #expect(leaf.subject == leaf.issuer)
            #expect(leaf.subject.description == "CN=Annuaire self-signed")
            #expect(try leaf.extensions.basicConstraints == .notCertificateAuthority)
            #expect(try leaf.extensions.keyUsage?.digitalSignature == true)
            #expect(try leaf.extensions.extendedKeyUsage?.contains(.serverAuth) == true)
            #expect(leaf.signatureAlgorithm == .ecdsaWithSHA256)
            #expect(leaf.serialNumber.bytes.count <= 20)
            let now = Date()
            #expect(abs(leaf.notValidBefore.timeIntervalSince(now) + 3600) < 120)
            #expect(abs(leaf.notValidAfter.timeIntervalSince(now) - 825 * 86400) < 120)
            #expect(leaf.publicKey.isValidSignature(leaf.signature, for: leaf))
        }
    }

    @Test("load names the file that is missing")
    func missingFile() async throws {
        try await withTemporaryFolder { folder in
            let (_, _) = try ServerCertificate.loadOrGenerateSelfSigned(in: folder, hostnames: [])
            let certificatePath = folder.appendingPathComponent("server.crt").path
            let absent = folder.appendingPathComponent("absent.key").path
            let error = try #require(throws: ServerCertificateError.self) {
                try ServerCertificate.load(certificatePath: certificatePath, keyPath: absent)
            }
            #expect(error.description.contains(absent))
            #expect(error.description.contains("does not exist"))
        }
    }

    @Test("load names a garbage certificate file and a garbage key file")
    func garbageFiles() async throws {
        try await withTemporaryFolder { folder in
            _ = try ServerCertificate.loadOrGenerateSelfSigned(in: folder, hostnames: [])
            let certificatePath = folder.appendingPathComponent("server.crt").path
            let keyPath = folder.appendingPathComponent("server.key").path
            let garbage = folder.appendingPathComponent("garbage.pem")
            try Data("this is not a certificate\n".utf8).write(to: garbage)

            let certificateError = try #require(throws: ServerCertificateError.self) {
                try ServerCertificate.load(certificatePath: garbage.path, keyPath: keyPath)
            }
            #expect(certificateError.description.contains(garbage.path))
            #expect(certificateError.description.contains("certificate"))

            let keyError = try #require(throws: ServerCertificateError.self) {
                try ServerCertificate.load(certificatePath: certificatePath, keyPath: garbage.path)
            }
            #expect(keyError.description.contains(garbage.path))
            #expect(keyError.description.contains("private key"))

            // A PEM block whose base64 is corrupt.
            let corrupt = folder.appendingPathComponent("corrupt.crt")
            try Data("-----BEGIN CERTIFICATE-----\nMIIB!!!notbase64\n-----END CERTIFICATE-----\n".utf8).write(to: corrupt)
            let corruptError = try #require(throws: ServerCertificateError.self) {
                try ServerCertificate.load(certificatePath: corrupt.path, keyPath: keyPath)
            }
            #expect(corruptError.description.contains(corrupt.path))
        }
    }

    @Test("load refuses a key that belongs to another certificate, naming both files")
    func mismatchedKey() async throws {
        try await withTemporaryFolder { folder in
            let one = folder.appendingPathComponent("one")
            let two = folder.appendingPathComponent("two")
            _ = try ServerCertificate.loadOrGenerateSelfSigned(in: one, hostnames: [])
            _ = try ServerCertificate.loadOrGenerateSelfSigned(in: two, hostnames: [])
            let certificatePath = one.appendingPathComponent("server.crt").path
            let keyPath = two.appendingPathComponent("server.key").path
            let error = try #require(throws: ServerCertificateError.self) {
                try ServerCertificate.load(certificatePath: certificatePath, keyPath: keyPath)
            }
            #expect(error == .keyDoesNotMatchCertificate(keyPath: keyPath, certificatePath: certificatePath))
            #expect(error.description.contains(keyPath) && error.description.contains(certificatePath))
        }
    }

    @Test("a certificate without its key is reported, never overwritten")
    func incompletePair() async throws {
        try await withTemporaryFolder { folder in
            _ = try ServerCertificate.loadOrGenerateSelfSigned(in: folder, hostnames: [])
            let keyURL = folder.appendingPathComponent("server.key")
            try FileManager.default.removeItem(at: keyURL)
            let before = try Data(contentsOf: folder.appendingPathComponent("server.crt"))
            let error = try #require(throws: ServerCertificateError.self) {
                try ServerCertificate.loadOrGenerateSelfSigned(in: folder, hostnames: [])
            }
            #expect(error.description.contains(keyURL.path))
            #expect(try Data(contentsOf: folder.appendingPathComponent("server.crt")) == before)
        }
    }

    @Test("an RSA key and certificate made by openssl load and make a server context")
    func rsaFromOpenSSL() async throws {
        try await withTemporaryFolder { folder in
            let certificatePath = folder.appendingPathComponent("rsa.crt").path
            let keyPath = folder.appendingPathComponent("rsa.key").path
            let result = try await CommandLineTool.run("openssl", [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyPath, "-out", certificatePath,
                "-days", "1", "-subj", "/CN=rsa.example.org",
            ])
            try #require(result.status == 0, "\(result.error)")
            let certificate = try ServerCertificate.load(certificatePath: certificatePath, keyPath: keyPath)
            #expect(certificate.certificateChain.count == 1)
            _ = try certificate.makeServerContext()
        }
    }

    @Test("the server context completes a verified TLS handshake with openssl s_client (127.0.0.1 and localhost)")
    func handshake() async throws {
        try await withTemporaryFolder { folder in
            let (certificate, _) = try ServerCertificate.loadOrGenerateSelfSigned(in: folder, hostnames: [])
            let context = try certificate.makeServerContext()
            let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    }
                }
                .bind(host: "127.0.0.1", port: 0).get()
            do {
                try await Self.checkHandshakes(port: server.localAddress?.port, folder: folder)
            } catch {
                try? await server.close().get()
                throw error
            }
            try await server.close().get()
        }
    }

    private static func checkHandshakes(port: Int?, folder: URL) async throws {
        let port = try #require(port)
        let caFile = folder.appendingPathComponent("server.crt").path
        for check in [["-verify_ip", "127.0.0.1"], ["-verify_hostname", "localhost"]] {
            let result = try await CommandLineTool.run("openssl", [
                "s_client", "-connect", "127.0.0.1:\(port)", "-CAfile", caFile,
                "-verify_return_error", "-brief",
            ] + check)
            #expect(result.status == 0, "\(check): \(result.error)")
            #expect(result.error.contains("Verification: OK"), "\(check): \(result.error)")
        }
        // TLS 1.1 is refused by the server: the client is let down to security level 0 (OpenSSL 3
        // otherwise gives up on TLS 1.1 by itself, "legacy sigalg disallowed"), and what ends the
        // handshake is the server's protocol_version alert (70).
        let tls11 = try await CommandLineTool.run("openssl", [
            "s_client", "-connect", "127.0.0.1:\(port)", "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0", "-brief",
        ], input: "")
        #expect(tls11.status != 0, "a TLS 1.1 handshake succeeded: \(tls11.error)")
        #expect(tls11.error.contains("alert protocol version"), "TLS 1.1 should be refused by the server's alert: \(tls11.error)")
    }
}

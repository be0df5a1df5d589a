import Crypto
public import Foundation
public import NIOSSL
import SwiftASN1
import X509

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The server's TLS identity for LDAPS and StartTLS (RFC 4511 §4.14,
/// RFC 4513 §3): an X.509 certificate chain (RFC 5280) and its private key.
///
/// Clients check the server's identity against this certificate as
/// RFC 4513 §3.1.3 requires: the host name or IP address they connected to
/// must appear in its subjectAltName (dNSName or iPAddress). The
/// self-signed certificate made by ``loadOrGenerateSelfSigned(in:hostnames:)``
/// is meant to be given to the clients as their own trust anchor
/// (`LDAPTLS_CACERT=server.crt`); its profile was checked against OpenLDAP's
/// libldap built on GnuTLS (Debian's):
///
/// - a self-signed end-entity certificate (basicConstraints CA:FALSE) is
///   accepted as its own trust anchor: GnuTLS trusts a peer certificate that
///   is itself in the trust list, no CA bit needed;
/// - keyUsage, when present, must include digitalSignature (the ECDSA key
///   signs the handshake), otherwise GnuTLS fails with a key usage violation;
/// - extendedKeyUsage, when present, must include serverAuth (gnutls-cli
///   checks it);
/// - for `ldaps://localhost` libldap checks the machine's own host name
///   instead of "localhost", so that name goes into the subjectAltName too.
///
/// Nothing here ever logs or describes the private key.
public struct ServerCertificate: Sendable, CustomStringConvertible {
    /// The certificate chain, leaf first, as presented in the handshake.
    public let certificateChain: [NIOSSLCertificate]
    public let privateKey: NIOSSLPrivateKey
    public let certificatePath: String
    public let keyPath: String
    /// SHA-256 of the leaf's DER encoding, upper-case hex pairs joined by ':'
    /// (what `openssl x509 -noout -fingerprint -sha256` prints after "=").
    public let sha256Fingerprint: String
    /// The leaf's notAfter (RFC 5280 §4.1.2.5).
    public let notValidAfter: Date

    /// File names used by ``loadOrGenerateSelfSigned(in:hostnames:)``.
    public static let certificateFileName = "server.crt"
    public static let keyFileName = "server.key"
    /// Subject and issuer common name of the generated certificate.
    public static let selfSignedCommonName = "Annuaire self-signed"

    public var description: String {
        "ServerCertificate(\(certificatePath), SHA-256 \(sha256Fingerprint))"
    }

    // MARK: Loading

    /// Reads a PEM certificate chain (leaf first) and a PEM private key
    /// (PKCS#8 "PRIVATE KEY", SEC 1 "EC PRIVATE KEY" or PKCS#1 "RSA PRIVATE KEY";
    /// EC P-256/P-384 and RSA keys). Throws a ``ServerCertificateError`` that
    /// names the file and says what is wrong with it.
    public static func load(certificatePath: String, keyPath: String) throws -> ServerCertificate {
        let certificateText = try readPEMText(certificatePath, role: .certificate)
        guard certificateText.contains("-----BEGIN CERTIFICATE-----") else {
            throw ServerCertificateError.noPEMBlock(path: certificatePath, role: .certificate)
        }
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
        } catch {
            throw ServerCertificateError.invalidPEM(path: certificatePath, role: .certificate)
        }
        guard let leaf = chain.first else {
            throw ServerCertificateError.noPEMBlock(path: certificatePath, role: .certificate)
        }
        let leafDER: [UInt8]
        do {
            leafDER = try leaf.toDERBytes()
        } catch {
            throw ServerCertificateError.invalidPEM(path: certificatePath, role: .certificate)
        }

        let keyText = try readPEMText(keyPath, role: .privateKey)
        if keyText.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || keyText.contains("Proc-Type: 4,ENCRYPTED") {
            throw ServerCertificateError.encryptedPrivateKey(path: keyPath)
        }
        guard keyText.range(of: #"-----BEGIN ([A-Z]+ )?PRIVATE KEY-----"#, options: .regularExpression) != nil else {
            throw ServerCertificateError.noPEMBlock(path: keyPath, role: .privateKey)
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        } catch {
            throw ServerCertificateError.invalidPEM(path: keyPath, role: .privateKey)
        }

        // The pair must belong together; checked here (when swift-certificates
        // can read both) rather than at the first handshake.
        if let parsedLeaf = try? Certificate(derEncoded: leafDER),
            let parsedKey = try? Certificate.PrivateKey(pemEncoded: keyText),
            parsedKey.publicKey != parsedLeaf.publicKey
        {
            throw ServerCertificateError.keyDoesNotMatchCertificate(keyPath: keyPath, certificatePath: certificatePath)
        }

        return ServerCertificate(
            certificateChain: chain, privateKey: key,
            certificatePath: certificatePath, keyPath: keyPath,
            sha256Fingerprint: fingerprint(ofDER: leafDER),
            notValidAfter: Date(timeIntervalSince1970: TimeInterval(leaf.notValidAfter))
        )
    }

    /// Loads `folder/server.crt` and `folder/server.key` when both exist;
    /// when neither does, creates `folder` (mode 0700) and writes a new
    /// self-signed P-256 certificate valid from one hour ago for 825 days,
    /// for `hostnames`, "localhost", this machine's host names, 127.0.0.1 and
    /// ::1 (a name of `hostnames` that is an IP address goes in as an
    /// iPAddress). The key file is written with mode 0600, the certificate
    /// with 0644. When only one of the two files exists nothing is
    /// overwritten: the error says which one is missing.
    public static func loadOrGenerateSelfSigned(
        in folder: URL, hostnames: [String]
    ) throws -> (ServerCertificate, generated: Bool) {
        let certificateURL = folder.appendingPathComponent(certificateFileName)
        let keyURL = folder.appendingPathComponent(keyFileName)
        let fileManager = FileManager.default
        let hasCertificate = fileManager.fileExists(atPath: certificateURL.path)
        let hasKey = fileManager.fileExists(atPath: keyURL.path)
        switch (hasCertificate, hasKey) {
        case (true, true):
            return (try load(certificatePath: certificateURL.path, keyPath: keyURL.path), false)
        case (true, false):
            throw ServerCertificateError.incompletePair(present: certificateURL.path, missing: keyURL.path)
        case (false, true):
            throw ServerCertificateError.incompletePair(present: keyURL.path, missing: certificateURL.path)
        case (false, false):
            break
        }

        do {
            try fileManager.createDirectory(
                at: folder, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw ServerCertificateError.cannotWrite(path: folder.path, reason: error.localizedDescription)
        }

        let (certificatePEM, keyPEM) = try makeSelfSigned(
            dnsNames: hostnames + ["localhost"] + localHostnames(), now: Date()
        )
        // The key first: a crash in between leaves a key without certificate,
        // reported by the next call instead of a certificate without its key.
        try writeNewFile(keyURL.path, contents: keyPEM, mode: 0o600)
        try writeNewFile(certificateURL.path, contents: certificatePEM, mode: 0o644)
        return (try load(certificatePath: certificateURL.path, keyPath: keyURL.path), true)
    }

    // MARK: TLS context

    /// A server-side NIOSSL context presenting this chain, TLS 1.2 minimum
    /// (RFC 8996 retires 1.0 and 1.1); no client certificate is requested.
    public func makeServerContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: certificateChain.map { .certificate($0) },
            privateKey: .privateKey(privateKey)
        )
        configuration.minimumTLSVersion = .tlsv12
        return try NIOSSLContext(configuration: configuration)
    }

    // MARK: Generation

    /// PEM texts (certificate, PKCS#8 key) of a new self-signed P-256 certificate.
    static func makeSelfSigned(dnsNames: [String], now: Date) throws -> (certificate: String, key: String) {
        let signingKey = P256.Signing.PrivateKey()
        let key = Certificate.PrivateKey(signingKey)

        var names: [GeneralName] = []
        var seen = Set<String>()
        for raw in dnsNames {
            let name = raw.trimmingCharacters(in: .whitespaces).lowercased()
            guard !name.isEmpty, seen.insert(name).inserted else { continue }
            if let address = ipAddressBytes(name) {
                names.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(address))))
            } else {
                names.append(.dnsName(name))
            }
        }
        for address in ["127.0.0.1", "::1"] where seen.insert(address).inserted {
            if let bytes = ipAddressBytes(address) {
                names.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(bytes))))
            }
        }

        // RFC 5280 §4.1.2.2: positive, at most 20 octets; 159 random bits.
        var serial = (0..<20).map { _ in UInt8.random(in: 0...255) }
        serial[0] = (serial[0] & 0x7F) | 0x40

        do {
            let subject = try DistinguishedName { CommonName(selfSignedCommonName) }
            let extensions = try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectKeyIdentifier(hash: key.publicKey)
                SubjectAlternativeNames(names)
            }
            let certificate = try Certificate(
                version: .v3,
                serialNumber: Certificate.SerialNumber(bytes: serial),
                publicKey: key.publicKey,
                notValidBefore: now.addingTimeInterval(-3600),
                notValidAfter: now.addingTimeInterval(825 * 24 * 3600),
                issuer: subject,
                subject: subject,
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: extensions,
                issuerPrivateKey: key
            )
            return (try certificate.serializeAsPEM().pemString + "\n", signingKey.pemRepresentation + "\n")
        } catch {
            throw ServerCertificateError.generationFailed(reason: String(describing: error))
        }
    }

    /// This machine's host name and its canonical name: libldap compares the
    /// certificate with these instead of "localhost" (`ldap_int_hostname`).
    static func localHostnames() -> [String] {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return [] }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        let name = String(decoding: bytes, as: UTF8.self)
        guard !name.isEmpty else { return [] }
        var names = [name]

        var hints = addrinfo()
        hints.ai_flags = AI_CANONNAME
        var result: UnsafeMutablePointer<addrinfo>?
        if getaddrinfo(name, nil, &hints, &result) == 0, let first = result {
            if let canonical = first.pointee.ai_canonname {
                names.append(String(cString: canonical))
            }
            freeaddrinfo(first)
        }
        return names
    }

    // MARK: Helpers

    static func fingerprint(ofDER der: [UInt8]) -> String {
        SHA256.hash(data: der).map { byte in
            let hex = String(byte, radix: 16, uppercase: true)
            return hex.count == 1 ? "0" + hex : hex
        }.joined(separator: ":")
    }

    private static func ipAddressBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    private static func readPEMText(_ path: String, role: ServerCertificateError.FileRole) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ServerCertificateError.fileNotFound(path: path, role: role)
        }
        guard !isDirectory.boolValue else {
            throw ServerCertificateError.unreadable(path: path, role: role, reason: "it is a directory")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ServerCertificateError.unreadable(path: path, role: role, reason: error.localizedDescription)
        }
        guard !data.isEmpty else {
            throw ServerCertificateError.unreadable(path: path, role: role, reason: "the file is empty")
        }
        // A DER SEQUENCE with a long-form length: binary, never PEM text.
        if data.count > 1, data[data.startIndex] == 0x30, data[data.startIndex + 1] >= 0x80 {
            throw ServerCertificateError.derInsteadOfPEM(path: path, role: role)
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Creates `path` (which must not exist) with `mode` from the start, so the
    /// key is never readable by others, not even for an instant.
    private static func writeNewFile(_ path: String, contents: String, mode: mode_t) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            throw ServerCertificateError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        guard fchmod(descriptor, mode) == 0 else {
            throw ServerCertificateError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        let bytes = Array(contents.utf8)
        var written = 0
        while written < bytes.count {
            let result = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if result < 0 {
                if errno == EINTR { continue }
                throw ServerCertificateError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
            }
            written += result
        }
        guard fsync(descriptor) == 0 else {
            throw ServerCertificateError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
    }
}

/// Why the TLS certificate or key could not be loaded or created; every case
/// names the file concerned.
public enum ServerCertificateError: Error, Equatable, CustomStringConvertible, LocalizedError {
    public enum FileRole: String, Sendable {
        case certificate = "TLS certificate"
        case privateKey = "TLS private key"
    }

    case fileNotFound(path: String, role: FileRole)
    case unreadable(path: String, role: FileRole, reason: String)
    case derInsteadOfPEM(path: String, role: FileRole)
    case noPEMBlock(path: String, role: FileRole)
    case invalidPEM(path: String, role: FileRole)
    case encryptedPrivateKey(path: String)
    case keyDoesNotMatchCertificate(keyPath: String, certificatePath: String)
    case incompletePair(present: String, missing: String)
    case cannotWrite(path: String, reason: String)
    case generationFailed(reason: String)

    public var description: String {
        switch self {
        case .fileNotFound(let path, let role):
            return "\(role.rawValue) file \(path) does not exist"
        case .unreadable(let path, let role, let reason):
            return "\(role.rawValue) file \(path) cannot be read: \(reason)"
        case .derInsteadOfPEM(let path, let role):
            let command = role == .certificate ? "openssl x509 -inform DER" : "openssl pkey -inform DER"
            return "\(role.rawValue) file \(path) is DER-encoded; PEM is expected (convert it with `\(command) -in \(path)`)"
        case .noPEMBlock(let path, .certificate):
            return "TLS certificate file \(path) holds no PEM certificate (no \"-----BEGIN CERTIFICATE-----\" line)"
        case .noPEMBlock(let path, .privateKey):
            return "TLS private key file \(path) holds no PEM private key (no \"-----BEGIN PRIVATE KEY-----\", \"EC PRIVATE KEY\" or \"RSA PRIVATE KEY\" line)"
        case .invalidPEM(let path, .certificate):
            return "TLS certificate file \(path) holds a malformed PEM certificate (bad base64 or not an X.509 certificate)"
        case .invalidPEM(let path, .privateKey):
            return "TLS private key file \(path) holds a malformed or unsupported private key (EC or RSA in PEM expected)"
        case .encryptedPrivateKey(let path):
            return "TLS private key file \(path) is encrypted; give an unencrypted key (e.g. `openssl pkey -in \(path) -out plain.key`)"
        case .keyDoesNotMatchCertificate(let keyPath, let certificatePath):
            return "TLS private key file \(keyPath) does not match the public key of the certificate in \(certificatePath)"
        case .incompletePair(let present, let missing):
            return "\(present) exists but \(missing) is missing; restore it, or remove both to generate a new self-signed certificate"
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason)"
        case .generationFailed(let reason):
            return "cannot generate the self-signed TLS certificate: \(reason)"
        }
    }

    public var errorDescription: String? { description }
}

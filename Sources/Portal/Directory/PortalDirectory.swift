import DirectoryBackend
import Foundation
import LDAPProtocol
public import Messages
import NIOPosix

/// The portal's LDAP calls that are not made on a person's held connection:
/// the login bind (which opens that connection), and the anonymous reads and
/// requests of the login and recovery pages (R10's texts, "Mot de passe
/// oublié"). Everything is sent to the Annuaire front-end, which decides.
public struct PortalDirectory: Sendable {
    public let endpoint: DirectoryEndpoint

    public init(endpoint: DirectoryEndpoint) { self.endpoint = endpoint }

    /// An identifier as people type it: letters, digits and . _ - @ (anything else cannot name an account).
    static func isPlausibleIdentifier(_ identifier: String) -> Bool {
        !identifier.isEmpty && identifier.count <= 64 && identifier.unicodeScalars.allSatisfy {
            ($0.isASCII && (CharacterSet.alphanumerics.contains($0) || ".-_@".unicodeScalars.contains($0)))
        }
    }

    /// Binds as the person (people first, then operator staff) asking for the
    /// password policy control, and on success keeps the connection for the session.
    public func login(identifier: String, password: [UInt8]) async -> LoginResult {
        guard Self.isPlausibleIdentifier(identifier), !password.isEmpty else { return .refused }
        let endpoint = endpoint
        do {
            return try await DirectoryThreads.pool.runIfActive { () throws -> LoginResult in
                let client = try endpoint.connect()
                let candidates = [
                    (dn: "uid=\(LDAPText.escapeRDNValue(identifier)),\(endpoint.people)", isOperator: false),
                    (dn: "uid=\(LDAPText.escapeRDNValue(identifier)),\(endpoint.operators)", isOperator: true),
                ]
                for candidate in candidates {
                    let outcome = try client.bindOutcome(
                        dn: candidate.dn, password: password, controls: [LDAPControl(oid: PasswordPolicyControl.oid)])
                    let policy = outcome.controls.compactMap(PasswordPolicyControl.error(in:)).first
                    switch outcome.result.code {
                    case .success:
                        let connection = PersonConnection(client: client, dn: candidate.dn)
                        // R6: a temporary password's session may only change it: nothing else is read.
                        if policy == .changeAfterReset {
                            return .loggedIn(connection, .restricted(dn: candidate.dn, identifier: identifier), mustChangePassword: true)
                        }
                        let entry = try client.read(candidate.dn, attributes: PersonProfile.attributes)
                        let profile = entry.map { PersonProfile(entry: $0, identifier: identifier, isOperatorAccount: candidate.isOperator) }
                            ?? .restricted(dn: candidate.dn, identifier: identifier)
                        return .loggedIn(connection, profile, mustChangePassword: false)
                    case .invalidCredentials:
                        if policy == .passwordExpired {
                            client.close()
                            return .expired
                        }
                        continue
                    default:
                        client.close()
                        return .unavailable("bind answered \(outcome.result.code)")
                    }
                }
                client.close()
                return .refused
            }
        } catch {
            return .unavailable("\(error)")
        }
    }

    /// R10: the usage rules and the legal warning, read before login (anyone may).
    public func usageTexts() async -> UsageTexts? {
        let endpoint = endpoint
        return try? await DirectoryThreads.pool.runIfActive { () throws -> UsageTexts? in
            let client = try endpoint.connect()
            defer { client.close() }
            func text(_ dn: String) throws -> String? {
                try client.read(dn, attributes: ["description"])?.values(of: "description").first.map { String(decoding: $0, as: UTF8.self) }
            }
            guard let rules = try text(endpoint.usageRules), let warning = try text(endpoint.legalWarning) else { return nil }
            return UsageTexts(rules: rules, legalWarning: warning)
        }
    }

    /// "Mot de passe oublié": the server answers success whatever the identifier; so does the portal.
    public func requestRecovery(identifier: String) async throws {
        let endpoint = endpoint
        _ = try await DirectoryThreads.pool.runIfActive {
            let client = try endpoint.connect()
            defer { client.close() }
            return try client.extended(name: PasswordRecovery.requestOID, value: PasswordRecovery.requestValue(identifier: identifier))
        }
    }

    /// The link's second step: the code from the mail and the new password (the server's
    /// refusals worded in `language`).
    public func completeRecovery(token: String, newPassword: [UInt8], language: Language = .french) async -> PasswordChangeResult {
        let endpoint = endpoint
        do {
            try await DirectoryThreads.pool.runIfActive {
                let client = try endpoint.connect()
                defer { client.close() }
                client.requestControls = [LanguagePreferenceControl.control(tag: language.rawValue)]
                _ = try client.extended(
                    name: PasswordRecovery.completionOID, value: PasswordRecovery.completionValue(token: token, newPassword: newPassword))
            }
            return .changed
        } catch let error as LDAPOperationError {
            return PasswordChangeResult(error)
        } catch {
            return .unavailable("\(error)")
        }
    }
}

/// R10's two texts.
public struct UsageTexts: Sendable, Equatable {
    public var rules: String
    public var legalWarning: String
}

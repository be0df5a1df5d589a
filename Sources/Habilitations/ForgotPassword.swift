public import Foundation
import LDAPProtocol
import NIOConcurrencyHelpers

/// "Mot de passe oublié" (R6): an unauthenticated request naming an
/// identifier mails a fresh temporary password to the address on file. The
/// answer is the same whether or not the identifier exists; a closed user
/// gets nothing; requests are rate-limited per identifier and per client
/// address (in this process: several front-ends each apply their own limit).
public final class ForgotPassword: Sendable {
    /// Annuaire's "forgot password" extended operation.
    ///
    /// ```
    /// forgotPasswordOID ::= 2.25.309896955993207786281445528786519232768.3.2
    /// ForgotPasswordRequestValue ::= SEQUENCE { identifier LDAPString }
    /// -- the response is success with no value, whatever the identifier
    /// ```
    public static let oid = "2.25.309896955993207786281445528786519232768.3.2"

    public struct Limits: Sendable {
        public var perIdentifier = 3
        public var perAddress = 20
        public var window: TimeInterval = 3600
        public init() {}
    }

    let habilitations: HabilitationService
    let limits: Limits
    private let recent = NIOLockedValueBox<[String: [Date]]>([:])

    public init(habilitations: HabilitationService, limits: Limits = Limits()) {
        self.habilitations = habilitations
        self.limits = limits
    }

    /// Handles a request from `address`; never says whether the identifier exists.
    public func request(_ value: [UInt8]?, from address: String) async throws {
        let identifier = try Self.identifier(from: value)
        let now = habilitations.clock.now
        guard admit("id:" + identifier.lowercased(), limit: limits.perIdentifier, now: now),
              admit("ip:" + address, limit: limits.perAddress, now: now)
        else {
            throw LDAPOperationError(.busy, "too many password requests; try again later")
        }
        let dn = habilitations.layout.user(identifier)
        guard identifier.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }),
              let found = try await habilitations.store.read(dn, attributes: PasswordLifecycle.attributes)
        else { return }
        let user = EntrySnapshot(found)
        guard Validity(user).isOpen(at: now), user.has("mail") else { return }  // R7: a closed user gets nothing
        // R11: the request is recorded (as made by the person it is for), never its answer's password.
        do {
            try await habilitations.record(HistoryAction.passwordRecovery.rawValue, target: found.objectName, actor: found.objectName)
        } catch {
            habilitations.logger.warning("forgot password: the request could not be recorded", metadata: ["dn": "\(dn)", "error": "\(error)"])
        }
        do {
            try await habilitations.passwords.issueTemporaryPassword(for: found.objectName)
        } catch {
            habilitations.logger.error("forgot password: could not issue a temporary password", metadata: ["dn": "\(dn)", "error": "\(error)"])
        }
    }

    private func admit(_ key: String, limit: Int, now: Date) -> Bool {
        recent.withLockedValue { recent in
            let kept = (recent[key] ?? []).filter { now.timeIntervalSince($0) < limits.window }
            guard kept.count < limit else {
                recent[key] = kept
                return false
            }
            recent[key] = kept + [now]
            return true
        }
    }

    static func identifier(from value: [UInt8]?) throws -> String {
        guard let value, let request = try? ForgotPasswordRequest(value: value) else {
            throw LDAPOperationError(.protocolError, "malformed forgot-password request: expected SEQUENCE { identifier LDAPString }")
        }
        return request.identifier
    }
}

import DirectoryBackend
public import Foundation
import LDAPProtocol
import Logging
import NIOConcurrencyHelpers

/// "Mot de passe oublié" (R6): password recovery by a single-use link.
///
/// The request, unauthenticated, names an identifier. It is answered
/// `success` at once, before anything is looked up (the answer's content and
/// timing are the same whether the identifier exists or not); then, in a
/// detached task (at most `Limits.concurrentLookups` at once), an open
/// person with a mail address is mailed a link carrying a random token (see
/// `RecoveryToken`, `PasswordLifecycle.mailRecoveryLink`). Nothing else
/// changes: the current password stays good until the link is used, so a
/// request made by someone else locks nobody out.
///
/// The completion, unauthenticated too, carries the token and the password
/// the person chooses: the password must pass the quality rules
/// (`PasswordLifecycle.checkQuality`, `constraintViolation` naming each
/// failed criterion) and slapd's password policy (the change is made as the
/// person's own, from a random interim password); the token is
/// consumed in the same Modify (a token used twice fails the second time),
/// and a temporary password's state (`pwdReset`) is cleared as a person's
/// own change clears it. An unknown, used or expired token, or one of a
/// person since closed, gets `invalidCredentials` (49) with one fixed message.
///
/// Identifiers are normalised (`RecoveryIdentifier`: NFKC, case folded)
/// before the rate limits count them: at most 3 requests per identifier and
/// 20 per client address an hour, 30 completions per address an hour
/// (`busy`, 51, beyond). Limits are per process. Requests and completions are
/// recorded in the history (R11) with the person as target, never the token.
///
/// ```
/// forgotPasswordOID ::= 2.25.309896955993207786281445528786519232768.3.2
/// ForgotPasswordRequestValue ::= SEQUENCE { identifier LDAPString }
/// -- the response is success with no value, whatever the identifier
///
/// completePasswordRecoveryOID ::= 2.25.309896955993207786281445528786519232768.3.5
/// CompletePasswordRecoveryRequestValue ::= SEQUENCE { token OCTET STRING, newPassword OCTET STRING }
/// ```
public final class ForgotPassword: Sendable {
    /// Annuaire's "forgot password" extended operation.
    public static let oid = "2.25.309896955993207786281445528786519232768.3.2"
    /// Annuaire's "complete a password recovery" extended operation.
    public static let completionOID = PasswordRecoveryRequest.oid

    /// The one answer to a token that opens nothing, whatever the reason.
    public static var invalidTokenMessage: String { RuleViolation.text(.r6RecoveryCodeInvalid) }

    /// What the history (R11) records.
    public static let requestedAction = "password-recovery-requested"
    public static let completedAction = "password-recovered"

    public struct Limits: Sendable {
        public var perIdentifier = 3
        public var perAddress = 20
        public var completionsPerAddress = 30
        public var window: TimeInterval = 3600
        /// Look-ups and mails running at once after their answer; beyond, a request is dropped.
        public var concurrentLookups = 32
        public init() {}
    }

    let habilitations: HabilitationService
    let limits: Limits
    private let recent = NIOLockedValueBox<[String: [Date]]>([:])
    /// The look-ups started after their answer.
    public let work: DetachedWork

    public init(habilitations: HabilitationService, limits: Limits = Limits()) {
        self.habilitations = habilitations
        self.limits = limits
        work = DetachedWork(limit: limits.concurrentLookups)
    }

    // MARK: - The request

    /// Handles the extended operation's value from `address`; returns before looking anything up.
    public func request(_ value: [UInt8]?, from address: String) throws {
        guard let value, let decoded = try? ForgotPasswordRequest(value: value) else {
            throw LDAPOperationError(.protocolError, "malformed forgot-password request: expected SEQUENCE { identifier LDAPString }")
        }
        try self.request(identifier: decoded.identifier, from: address)
    }

    /// Counts the request against the limits and starts the look-up and mail in the background;
    /// never says whether the identifier exists. `busy` when a limit is reached.
    public func request(identifier raw: String, from address: String) throws {
        // Longer than any identifier: not normalised (a 4 MB request would cost as much), one key for all.
        let key = raw.utf8.count > 256 ? "\u{FFFD}too-long" : RecoveryIdentifier.key(raw)
        guard admit([("ip:" + address, limits.perAddress), ("id:" + key, limits.perIdentifier)], now: habilitations.clock.now) else {
            throw RuleViolation.refusal(.busy, .r6TooManyRequests)
        }
        // Not an identifier once normalised: nobody, like a missing one.
        guard let identifier = RecoveryIdentifier(raw) else { return }
        if !work.start({ await self.mailLink(to: identifier) }) {
            habilitations.logger.warning("forgot password: too many requests in progress; one was dropped", metadata: ["limit": "\(work.limit)"])
        }
    }

    /// The background half: an open person with a mail address gets a link; anyone else nothing.
    func mailLink(to identifier: RecoveryIdentifier) async {
        let dn = habilitations.layout.user(identifier.normalised)
        do {
            guard let found = try await habilitations.store.read(dn, attributes: PasswordLifecycle.attributes) else { return }
            let user = EntrySnapshot(found)
            // R7: a person whose account is not open gets nothing.
            guard Validity(user).isOpen(at: habilitations.clock.now), user.has("mail") else { return }
            try await habilitations.passwords.mailRecoveryLink(for: found.objectName)
            try await habilitations.record(Self.requestedAction, target: found.objectName, by: Principal(dn: found.objectName, role: .person))
        } catch {
            habilitations.logger.error("forgot password: could not mail a recovery link", metadata: ["dn": "\(dn)", "error": "\(error)"])
        }
    }

    // MARK: - The completion

    /// Handles the completion's extended operation value from `address`.
    public func complete(_ value: [UInt8]?, from address: String) async throws {
        let request = try PasswordRecoveryRequest(value: value)
        try await complete(token: request.token, newPassword: request.newPassword, from: address)
    }

    /// Sets the password the person chose if `token` is a good one, and consumes the token.
    public func complete(token: [UInt8], newPassword: [UInt8], from address: String) async throws {
        guard admit([("complete:" + address, limits.completionsPerAddress)], now: habilitations.clock.now) else {
            throw RuleViolation.refusal(.busy, .r6TooManyRecoveryAttempts)
        }
        let invalid = LDAPOperationError(.invalidCredentials, Self.invalidTokenMessage)
        guard let hash = RecoveryToken.hash(ofSubmitted: token) else { throw invalid }
        // The token's hash and the password are the service identity's to read and write: slapd
        // denies both to the identity clients' operations run under.
        let store = habilitations.serviceStore
        let found = try await store.searchAll(SearchQuery(
            base: habilitations.layout.people, scope: .singleLevel,
            filter: "(\(RecoveryToken.hashAttribute)=\(hash))",
            attributes: PasswordLifecycle.attributes + [RecoveryToken.expiryAttribute]))
        guard found.count == 1, let entry = found.first else { throw invalid }
        let user = EntrySnapshot(entry)
        let now = habilitations.clock.now
        // A person closed since the request: as unknown (R7).
        guard let expiry = user.value(RecoveryToken.expiryAttribute).flatMap(GeneralizedTime.date), now < expiry,
              Validity(user).isOpen(at: now)
        else { throw invalid }
        try habilitations.passwords.checkQuality(newPassword, for: user)
        let dn = entry.objectName
        // 1. The token is claimed: its exact value deleted (a second use, here or in another front-end,
        //    finds it gone). It is put back if the password is refused.
        do {
            try await store.modify(dn: dn, changes: [
                .init(operation: .delete, modification: PartialAttribute(type: RecoveryToken.hashAttribute, strings: [hash])),
            ], controls: [])
        } catch let error as LDAPOperationError where error.result.code == .noSuchAttribute {
            throw invalid
        }
        // 2. The change is the person's own, so that slapd's password policy judges it (history, quality)
        //    and clears a temporary password's reset mark as it does for a person: a random interim
        //    password is set, and the person changes it to the chosen one.
        let saved = try await store.read(dn, attributes: ["userPassword", "pwdReset", "pwdHistory", "pwdChangedTime"])
        let interim = Array((PasswordLifecycle.generatePassword() + PasswordLifecycle.generatePassword()).utf8)
        let outcome: ExtendedOutcome
        do {
            let reset = try await store.extended(
                name: PasswordModifyRequest.oid, value: PasswordModifyRequest(userIdentity: dn, newPassword: interim).encoded(), controls: [])
            guard reset.result.code == .success else { throw LDAPOperationError(reset.result.code, reset.result.diagnosticMessage) }
            outcome = try await store.extended(
                asUser: dn, password: interim, name: PasswordModifyRequest.oid,
                value: PasswordModifyRequest(oldPassword: interim, newPassword: newPassword).encoded(), controls: [])
        } catch {
            await restore(dn, saved: saved, tokenHash: hash)
            throw error
        }
        guard outcome.result.code == .success else {
            await restore(dn, saved: saved, tokenHash: hash)
            throw RuleViolation.refusal(
                outcome.result.code, .r6PasswordRefusedByPolicy, ["reason": outcome.result.diagnosticMessage])
        }
        _ = try? await store.modify(dn: dn, changes: [
            .init(operation: .replace, modification: PartialAttribute(type: RecoveryToken.expiryAttribute, strings: [])),
        ], controls: [])
        habilitations.logger.info("password recovered", metadata: ["dn": "\(dn)"])
        do {
            try await habilitations.record(Self.completedAction, target: entry.objectName, by: Principal(dn: entry.objectName, role: .person))
        } catch {
            habilitations.logger.error("password recovered but not recorded in the history", metadata: ["dn": "\(entry.objectName)", "error": "\(error)"])
        }
    }

    /// Puts back the password (its stored hash), the reset mark, the history, the change time (a
    /// temporary password's 24 hours count from it) and the token after a
    /// refused change (the history with the relax rules control: slapd lets only itself write it).
    private func restore(_ dn: String, saved: SearchResultEntry?, tokenHash: String) async {
        let passwords = saved?.values(of: "userPassword") ?? []
        let reset = saved?.values(of: "pwdReset") ?? []
        do {
            try await habilitations.serviceStore.modify(dn: dn, changes: [
                .init(operation: .replace, modification: PartialAttribute(type: "userPassword", values: passwords)),
                .init(operation: .replace, modification: PartialAttribute(type: "pwdReset", values: reset)),
                .init(operation: .replace, modification: PartialAttribute(type: "pwdHistory", values: saved?.values(of: "pwdHistory") ?? [])),
                .init(operation: .replace, modification: PartialAttribute(type: "pwdChangedTime", values: saved?.values(of: "pwdChangedTime") ?? [])),
                .init(operation: .replace, modification: PartialAttribute(type: RecoveryToken.hashAttribute, strings: [tokenHash])),
            ], controls: [LDAPControl(oid: "1.3.6.1.4.1.4203.666.5.12", criticality: true)])
        } catch {
            habilitations.logger.error(
                "password recovery refused, and the previous password and the link could not be put back: the person needs a new link or an administrator's reset",
                metadata: ["dn": "\(dn)", "error": "\(error)"])
        }
    }

    /// Counts one request against every key, if each is under its limit (else counts nothing).
    private func admit(_ keys: [(key: String, limit: Int)], now: Date) -> Bool {
        recent.withLockedValue { recent in
            // Keys whose every request left the window go, so the table stays as small as the traffic of a window.
            if recent.count > 10_000 {
                recent = recent.filter { $0.value.contains { now.timeIntervalSince($0) < limits.window } }
            }
            var kept: [String: [Date]] = [:]
            for (key, limit) in keys {
                let times = (recent[key] ?? []).filter { now.timeIntervalSince($0) < limits.window }
                guard times.count < limit else {
                    recent[key] = times
                    return false
                }
                kept[key] = times
            }
            for (key, times) in kept { recent[key] = times + [now] }
            return true
        }
    }
}

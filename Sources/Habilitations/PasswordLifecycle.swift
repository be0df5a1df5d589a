public import DirectoryBackend
public import Foundation
import LDAPProtocol
import Messages
public import Logging

/// Passwords the system issues are temporary (R6): set in slapd with the
/// Password Modify operation as an administrative reset (slapd's ppolicy then
/// marks them `pwdReset`), mailed to the person, never shown to an
/// administrator, good for `temporaryValidity` (24 hours) from slapd's
/// `pwdChangedTime`. A password a person chooses must pass the quality policy.
/// A person who forgot its password gets a recovery link instead (see
/// `ForgotPassword`): its current password stays good until the link is used.
public final class PasswordLifecycle: Sendable {
    public struct Settings: Sendable {
        /// How long a temporary password opens a session (R6: 24 hours).
        public var temporaryValidity: TimeInterval = 24 * 3600
        public var minimumLength = 12
        /// Of lower case, upper case, digits, other characters.
        public var requiredCharacterClasses = 3
        /// How long a password recovery link (R6, forgot password) stays good: 2 hours.
        public var recoveryLinkValidity: TimeInterval = 2 * 3600
        /// The portal the recovery link opens: `<portalURL>/mot-de-passe/nouveau#<token>`.
        public var portalURL = "https://localhost:8443"
        public init() {}
    }

    public enum TemporaryState: Sendable, Equatable {
        case none
        case valid
        case expired
    }

    public let store: any DirectoryStore
    public let layout: DirectoryLayout
    public let clock: any HabilitationClock
    public let mail: any MailTransport
    /// Jobs kept until their mail is delivered.
    public let outbox: MailOutbox
    public let templates: MailTemplates
    public let settings: Settings
    let logger: Logger

    public init(
        store: any DirectoryStore, layout: DirectoryLayout, clock: any HabilitationClock, mail: any MailTransport,
        outbox: MailOutbox, templates: MailTemplates = MailTemplates(), settings: Settings = Settings(), logger: Logger
    ) {
        self.store = store
        self.layout = layout
        self.clock = clock
        self.mail = mail
        self.outbox = outbox
        self.templates = templates
        self.settings = settings
        self.logger = logger
    }

    /// The attributes the lifecycle reads on a user.
    public static let attributes = ["uid", "sn", "givenName", "mail", AttributeName.openDate, AttributeName.closeDate, "pwdReset", "pwdChangedTime"]

    /// R6: whether the entry carries a temporary password, and whether it is still good.
    public func temporaryState(of entry: EntrySnapshot) -> TemporaryState {
        guard entry.value("pwdReset")?.uppercased() == "TRUE" else { return .none }
        guard let changed = entry.value("pwdChangedTime").flatMap(GeneralizedTime.date) else { return .expired }
        return clock.now.timeIntervalSince(changed) > settings.temporaryValidity ? .expired : .valid
    }

    /// A random password from the system CSPRNG: 16 characters, every class represented.
    public static func generatePassword() -> String {
        let classes: [[Character]] = [
            Array("abcdefghijkmnopqrstuvwxyz"), Array("ABCDEFGHJKLMNPQRSTUVWXYZ"), Array("23456789"), Array("-_.!?+=%"),
        ]
        var generator = SystemRandomNumberGenerator()
        var characters = classes.map { $0.randomElement(using: &generator) ?? "x" }
        let all = classes.flatMap { $0 }
        while characters.count < 16 { characters.append(all.randomElement(using: &generator) ?? "x") }
        characters.shuffle(using: &generator)
        return String(characters)
    }

    /// Sends the user a fresh temporary password (R6) now, or as soon as the
    /// mail server takes it. Nobody else sees it. Returns whether it was sent now.
    @discardableResult
    public func issueTemporaryPassword(for dn: String) async throws -> Bool {
        try await requireMailbox(dn, rule: "R6")
        return await outbox.submit(.temporaryPassword(dn: dn), now: clock.now) { try await self.deliver($0) }
    }

    /// Mails a user its identifier (R4 at creation, R9 on request), now or later.
    @discardableResult
    public func mailIdentifier(of dn: String) async throws -> Bool {
        try await requireMailbox(dn, rule: "R9")
        return await outbox.submit(.identifier(dn: dn), now: clock.now) { try await self.deliver($0) }
    }

    /// Mails an open person a single-use password recovery link (R6), now or as soon as the mail
    /// server takes it; the token is made, and its hash stored, only when the mail can go.
    @discardableResult
    public func mailRecoveryLink(for dn: String) async throws -> Bool {
        try await requireMailbox(dn, rule: "R6")
        return await outbox.submit(.recoveryLink(dn: dn), now: clock.now) { try await self.deliver($0) }
    }

    /// The recovery link for a token: the token rides in the fragment, which browsers send to no
    /// server (no access log, no Referer carries it).
    public func recoveryLink(_ token: RecoveryToken) -> String {
        var base = settings.portalURL
        while base.hasSuffix("/") { base.removeLast() }
        return "\(base)/mot-de-passe/nouveau#\(token.text)"
    }

    /// R9: the identifier mailed again, with the reminder's own text.
    @discardableResult
    public func mailIdentifierReminder(of dn: String) async throws -> Bool {
        try await requireMailbox(dn, rule: "R9")
        return await outbox.submit(.identifierReminder(dn: dn), now: clock.now) { try await self.deliver($0) }
    }

    /// R6 for a new user: its first temporary password now when it is open, else kept in the
    /// outbox for its open date, so that the 24 hours start when the account opens.
    @discardableResult
    public func issueFirstPassword(for dn: String) async throws -> Bool {
        try await requireMailbox(dn, rule: "R6")
        if let open = try await openDate(of: dn), open > clock.now {
            await outbox.schedule(.temporaryPassword(dn: dn), at: open)
            logger.info("first password kept for the user's open date", metadata: ["dn": "\(dn)", "open": "\(GeneralizedTime.string(open))"])
            return false
        }
        return try await issueTemporaryPassword(for: dn)
    }

    private func openDate(of dn: String) async throws -> Date? {
        try await store.read(dn, attributes: [AttributeName.openDate]).flatMap { EntrySnapshot($0).value(AttributeName.openDate) }.flatMap(GeneralizedTime.date)
    }

    /// Retries the mails that could not be delivered yet; returns how many went.
    @discardableResult
    public func drainOutbox() async -> Int {
        await outbox.drain(now: clock.now) { try await self.deliver($0) }
    }

    private func requireMailbox(_ dn: String, rule: String) async throws {
        guard let found = try await store.read(dn, attributes: ["mail"]) else {
            throw LDAPOperationError(.noSuchObject, RuleViolation.text(.notFoundEntry, ["dn": dn]))
        }
        guard !found.values(of: "mail").isEmpty else {
            throw RuleViolation.constraint(.r6NoMailbox, ["rule": rule, "dn": dn])
        }
    }

    /// Does a mail job: a temporary password is generated and set only now, when it can be sent.
    func deliver(_ job: MailOutbox.Job) async throws {
        switch job {
        case .identifier(let dn):
            guard let found = try await store.read(dn, attributes: Self.attributes) else { return }
            let user = EntrySnapshot(found)
            guard let address = user.value("mail") else { return }
            let (identifier, sn, givenName) = (user.value("uid") ?? dn, user.value("sn") ?? "", user.value("givenName") ?? "")
            if let open = Validity(user).open, open > clock.now {
                // R6: the password comes on the open date; the person is told when.
                try await send(templates.identifier(
                    to: address, identifier: identifier, sn: sn, givenName: givenName, opensOn: GeneralizedTime.display(open), date: clock.now))
            } else {
                try await send(templates.identifier(to: address, identifier: identifier, sn: sn, givenName: givenName, date: clock.now))
            }
        case .identifierReminder(let dn):
            guard let found = try await store.read(dn, attributes: Self.attributes) else { return }
            let user = EntrySnapshot(found)
            guard let address = user.value("mail"), Validity(user).status(at: clock.now) != .closed else { return }
            try await send(templates.identifierReminder(
                to: address, identifier: user.value("uid") ?? dn, sn: user.value("sn") ?? "", givenName: user.value("givenName") ?? "",
                date: clock.now))
        case .temporaryPassword(let dn):
            guard let found = try await store.read(dn, attributes: Self.attributes) else { return }
            let user = EntrySnapshot(found)
            // R7: a closed user gets nothing.
            guard let address = user.value("mail"), Validity(user).status(at: clock.now) != .closed else { return }
            // R6: not before the account opens (its open date may have moved since the job was kept).
            if let open = Validity(user).open, open > clock.now { throw MailOutbox.Postponed(until: open) }
            try await sendTemporaryPassword(dn: dn, user: user, address: address)
        case .recoveryLink(let dn):
            guard let found = try await store.read(dn, attributes: Self.attributes + ["objectClass"]) else { return }
            let user = EntrySnapshot(found)
            // R6, R7: a person whose account is not open gets nothing.
            guard let address = user.value("mail"), Validity(user).isOpen(at: clock.now) else { return }
            try await sendRecoveryLink(dn: dn, user: user, address: address)
        }
    }

    private func sendRecoveryLink(dn: String, user: EntrySnapshot, address: String) async throws {
        let token = RecoveryToken.generate()
        let expiry = clock.now.addingTimeInterval(settings.recoveryLinkValidity)
        var changes: [ModifyRequest.Change] = [
            .init(operation: .replace, modification: PartialAttribute(type: RecoveryToken.hashAttribute, strings: [token.hash])),
            .init(operation: .replace, modification: PartialAttribute(type: RecoveryToken.expiryAttribute, strings: [GeneralizedTime.string(expiry)])),
        ]
        if !user.objectClasses.contains(ObjectClassName.user.lowercased()) {
            changes.insert(.init(operation: .add, modification: PartialAttribute(type: "objectClass", strings: [ObjectClassName.user])), at: 0)
        }
        try await store.modify(dn: dn, changes: changes, controls: [])
        let hours = max(1, Int((settings.recoveryLinkValidity / 3600).rounded(.up)))
        try await send(templates.recoveryLink(
            to: address, identifier: user.value("uid") ?? dn, sn: user.value("sn") ?? "", givenName: user.value("givenName") ?? "",
            link: recoveryLink(token), code: token.text, validHours: hours, date: clock.now))
        logger.info("password recovery link mailed", metadata: ["dn": "\(dn)"])
    }

    private func sendTemporaryPassword(dn: String, user: EntrySnapshot, address: String) async throws {
        let password = Self.generatePassword()
        let request = PasswordModifyRequest(userIdentity: dn, newPassword: Array(password.utf8))
        let outcome = try await store.extended(name: PasswordModifyRequest.oid, value: request.encoded(), controls: [])
        guard outcome.result.code == .success else {
            throw LDAPOperationError(outcome.result.code, "setting a temporary password: \(outcome.result.diagnosticMessage)")
        }
        try await send(templates.temporaryPassword(
            to: address, identifier: user.value("uid") ?? dn, sn: user.value("sn") ?? "", givenName: user.value("givenName") ?? "",
            password: password, validHours: Int(settings.temporaryValidity / 3600), date: clock.now))
        logger.info("temporary password issued and mailed", metadata: ["dn": "\(dn)"])
    }

    /// Sends a message ending with the help desk's contact, when the operator configured one.
    private func send(_ message: MailMessage) async throws {
        guard let helpDesk = await HelpDesk.read(store, layout: layout) else { return try await mail.send(message) }
        try await mail.send(templates.endingWith(helpDesk, message))
    }

    /// The quality policy for a password a person chooses, one message per failed criterion.
    public func checkQuality(_ password: [UInt8], for user: EntrySnapshot) throws {
        let text = String(decoding: password, as: UTF8.self)
        var problems: [String] = []
        if text.count < settings.minimumLength {
            problems.append(RuleViolation.text(.passwordCriterionTooShort, ["length": "\(text.count)", "minimum": "\(settings.minimumLength)"]))
        }
        let classes = [
            text.contains(where: \.isLowercase), text.contains(where: \.isUppercase), text.contains(where: \.isNumber),
            text.contains { !$0.isLetter && !$0.isNumber },
        ].filter { $0 }.count
        if classes < settings.requiredCharacterClasses {
            problems.append(RuleViolation.text(.passwordCriterionTooFewKinds, ["kinds": "\(classes)", "required": "\(settings.requiredCharacterClasses)"]))
        }
        let lowered = text.lowercased()
        for (field, value) in [(Message.passwordCriterionIdentifier, user.value("uid")), (.passwordCriterionLastName, user.value("sn")), (.passwordCriterionFirstName, user.value("givenName"))] {
            if let value, value.count >= 3, lowered.contains(value.lowercased()) {
                problems.append(RuleViolation.text(field))
            }
        }
        if !problems.isEmpty {
            throw RuleViolation.constraint(.r6PasswordRefused, ["problems": problems.joined(separator: RuleViolation.text(.listSeparator))])
        }
    }
}

public import DirectoryBackend
public import LDAPProtocol
public import Logging

/// The entry a failed bind that slapd answered without hashing the password
/// (a DN that names no entry, an entry without a password, an account closed
/// or locked: slapd's ppolicy refuses those before it checks the password)
/// is checked against again, so that every failed bind costs one argon2
/// verification and its time tells nothing (the threat model: learn whether
/// an identifier exists). It is `cn=bind-decoy,ou=policies`, with a random
/// password nobody knows (set again at every start, so its hash has the
/// current argon2 cost) and a password policy of its own that never locks it
/// but records failures as the default policy does (the same writes).
public enum BindDecoy {
    /// The decoy's own password policy: no lockout, failures recorded (at most 5 kept).
    public static func policyEntry(layout: DirectoryLayout) -> (dn: String, attributes: [PartialAttribute]) {
        (layout.bindDecoyPolicy, [
            PartialAttribute(type: "objectClass", strings: ["device", "pwdPolicy"]),
            PartialAttribute(type: "cn", strings: ["bind-decoy-policy"]),
            PartialAttribute(type: "description", strings: ["Password policy of the bind decoy: never locks"]),
            PartialAttribute(type: "pwdAttribute", strings: ["userPassword"]),
            PartialAttribute(type: "pwdLockout", strings: ["FALSE"]),
            PartialAttribute(type: "pwdMaxFailure", strings: ["0"]),
            PartialAttribute(type: "pwdMaxRecordedFailure", strings: ["5"]),
            PartialAttribute(type: "pwdFailureCountInterval", strings: ["900"]),
        ])
    }

    public static func entry(layout: DirectoryLayout) -> (dn: String, attributes: [PartialAttribute]) {
        (layout.bindDecoy, [
            PartialAttribute(type: "objectClass", strings: ["device", "simpleSecurityObject"]),
            PartialAttribute(type: "cn", strings: ["bind-decoy"]),
            PartialAttribute(type: "description", strings: ["Failed binds are checked against this entry too, so that they all take as long"]),
            PartialAttribute(type: "userPassword", strings: [PasswordLifecycle.generatePassword() + PasswordLifecycle.generatePassword()]),
            PartialAttribute(type: "pwdPolicySubentry", strings: [layout.bindDecoyPolicy]),
        ])
    }

    /// Writes the decoy and its policy when missing, and gives the decoy a fresh random password
    /// (hashed by slapd with its current argon2 cost). Returns whether the decoy is ready.
    @discardableResult
    public static func ensure(in store: any DirectoryStore, layout: DirectoryLayout, logger: Logger) async -> Bool {
        do {
            for (dn, attributes) in [policyEntry(layout: layout), entry(layout: layout)] {
                guard try await store.read(dn, attributes: ["1.1"]) == nil else { continue }
                try await store.add(dn: dn, attributes: attributes, controls: [])
            }
            let reset = PasswordModifyRequest(
                userIdentity: layout.bindDecoy,
                newPassword: Array((PasswordLifecycle.generatePassword() + PasswordLifecycle.generatePassword()).utf8))
            let outcome = try await store.extended(name: PasswordModifyRequest.oid, value: reset.encoded(), controls: [])
            guard outcome.result.code == .success else {
                throw LDAPOperationError(outcome.result.code, outcome.result.diagnosticMessage)
            }
            return true
        } catch {
            logger.warning(
                "could not write the bind decoy: a bind naming no entry will answer faster than a wrong password",
                metadata: ["dn": "\(layout.bindDecoy)", "error": "\(error)"])
            return false
        }
    }
}

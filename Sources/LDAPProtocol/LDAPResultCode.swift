/// An LDAP result code (RFC 4511 §4.1.9 and Appendix A).
///
/// ```
/// resultCode ENUMERATED { success (0), operationsError (1), ... }
/// ```
///
/// A struct rather than an enum so that codes outside the RFC's list (slapd's
/// `canceled` 118, for instance) travel through unchanged.
public struct LDAPResultCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public init(_ rawValue: Int) { self.rawValue = rawValue }

    public static let success = LDAPResultCode(0)
    public static let operationsError = LDAPResultCode(1)
    public static let protocolError = LDAPResultCode(2)
    public static let timeLimitExceeded = LDAPResultCode(3)
    public static let sizeLimitExceeded = LDAPResultCode(4)
    public static let compareFalse = LDAPResultCode(5)
    public static let compareTrue = LDAPResultCode(6)
    public static let authMethodNotSupported = LDAPResultCode(7)
    public static let strongerAuthRequired = LDAPResultCode(8)
    public static let referral = LDAPResultCode(10)
    public static let adminLimitExceeded = LDAPResultCode(11)
    public static let unavailableCriticalExtension = LDAPResultCode(12)
    public static let confidentialityRequired = LDAPResultCode(13)
    public static let saslBindInProgress = LDAPResultCode(14)
    public static let noSuchAttribute = LDAPResultCode(16)
    public static let undefinedAttributeType = LDAPResultCode(17)
    public static let inappropriateMatching = LDAPResultCode(18)
    public static let constraintViolation = LDAPResultCode(19)
    public static let attributeOrValueExists = LDAPResultCode(20)
    public static let invalidAttributeSyntax = LDAPResultCode(21)
    public static let noSuchObject = LDAPResultCode(32)
    public static let aliasProblem = LDAPResultCode(33)
    public static let invalidDNSyntax = LDAPResultCode(34)
    public static let aliasDereferencingProblem = LDAPResultCode(36)
    public static let inappropriateAuthentication = LDAPResultCode(48)
    public static let invalidCredentials = LDAPResultCode(49)
    public static let insufficientAccessRights = LDAPResultCode(50)
    public static let busy = LDAPResultCode(51)
    public static let unavailable = LDAPResultCode(52)
    public static let unwillingToPerform = LDAPResultCode(53)
    public static let loopDetect = LDAPResultCode(54)
    public static let namingViolation = LDAPResultCode(64)
    public static let objectClassViolation = LDAPResultCode(65)
    public static let notAllowedOnNonLeaf = LDAPResultCode(66)
    public static let notAllowedOnRDN = LDAPResultCode(67)
    public static let entryAlreadyExists = LDAPResultCode(68)
    public static let objectClassModsProhibited = LDAPResultCode(69)
    public static let affectsMultipleDSAs = LDAPResultCode(71)
    public static let other = LDAPResultCode(80)
    /// RFC 3909 §2.
    public static let canceled = LDAPResultCode(118)
    public static let noSuchOperation = LDAPResultCode(119)
    public static let tooLate = LDAPResultCode(120)
    public static let cannotCancel = LDAPResultCode(121)
    /// RFC 4528 §3.
    public static let assertionFailed = LDAPResultCode(122)

    private static let names: [Int: String] = [
        0: "success", 1: "operationsError", 2: "protocolError", 3: "timeLimitExceeded",
        4: "sizeLimitExceeded", 5: "compareFalse", 6: "compareTrue", 7: "authMethodNotSupported",
        8: "strongerAuthRequired", 10: "referral", 11: "adminLimitExceeded",
        12: "unavailableCriticalExtension", 13: "confidentialityRequired", 14: "saslBindInProgress",
        16: "noSuchAttribute", 17: "undefinedAttributeType", 18: "inappropriateMatching",
        19: "constraintViolation", 20: "attributeOrValueExists", 21: "invalidAttributeSyntax",
        32: "noSuchObject", 33: "aliasProblem", 34: "invalidDNSyntax", 36: "aliasDereferencingProblem",
        48: "inappropriateAuthentication", 49: "invalidCredentials", 50: "insufficientAccessRights",
        51: "busy", 52: "unavailable", 53: "unwillingToPerform", 54: "loopDetect",
        64: "namingViolation", 65: "objectClassViolation", 66: "notAllowedOnNonLeaf",
        67: "notAllowedOnRDN", 68: "entryAlreadyExists", 69: "objectClassModsProhibited",
        71: "affectsMultipleDSAs", 80: "other", 118: "canceled", 119: "noSuchOperation",
        120: "tooLate", 121: "cannotCancel", 122: "assertionFailed",
    ]

    public var description: String {
        "\(Self.names[rawValue] ?? "resultCode") (\(rawValue))"
    }
}

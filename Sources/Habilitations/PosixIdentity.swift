public import LDAPProtocol

/// The POSIX identity of a person (RFC 2307 §4, `posixAccount`), for the
/// applications that resolve users through NSS (nslcd, sssd): `uidNumber`,
/// `gidNumber` and `homeDirectory` are materialised when the user is created
/// (R4), from the same atomic counter as its identifier, so they are unique
/// and never reused, with no second counter to keep in step and nothing held
/// in one front-end's memory.
///
/// - `uidNumber` = `uidNumberBase` + the identifier's number
///   (`XXX0606XX12` → 100012);
/// - `gidNumber` = `uidNumber`: each person's own primary group, as Debian's
///   user private groups (habilitation groups are not POSIX groups);
/// - `homeDirectory` = `/home/<identifier>`; no `loginShell` is stored:
///   partner users reach web applications, not shells (nslcd/sssd may map one).
///
/// These attributes carry identity for NSS clients: only the operator changes
/// them (`WritableAttributes`: on no list but the operator's).
public enum PosixIdentity {
    /// Above the ranges Debian gives local users (1000–59999) and systemd's dynamic users (61184–65519).
    public static let uidNumberBase = 100_000

    public static func uidNumber(forIdentifierNumber number: Int) -> Int { uidNumberBase + number }

    /// The attributes a new user carries, with `posixAccount` among its object classes.
    public static func attributes(identifier: String, number: Int) -> [PartialAttribute] {
        let uidNumber = String(uidNumber(forIdentifierNumber: number))
        return [
            PartialAttribute(type: "uidNumber", strings: [uidNumber]),
            PartialAttribute(type: "gidNumber", strings: [uidNumber]),
            PartialAttribute(type: "homeDirectory", strings: ["/home/\(identifier)"]),
        ]
    }
}

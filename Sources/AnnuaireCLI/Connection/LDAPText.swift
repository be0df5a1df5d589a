import LDAPProtocol

/// The DN and filter helpers the commands use, all implemented once in
/// LDAPProtocol: RFC 4514 escaping, parents and leaf values on
/// `DistinguishedName`, RFC 4515 filters as `SearchFilter` values.
enum LDAPText {
    /// A value safe inside an RDN (RFC 4514 §2.4).
    static func escapeRDNValue(_ value: String) -> String {
        DistinguishedName.escape(value)
    }

    /// The DN without its first RDN ("" for a single RDN), as spelt.
    static func parent(of dn: String) -> String {
        DistinguishedName.parent(of: dn)
    }

    /// The value of the first RDN ("T1" for "cn=T1,cn=CONV…"), unescaped.
    static func leafValue(of dn: String) -> String {
        DistinguishedName.leafValue(of: dn)
    }
}

extension LDAPText {
    /// `(&…)` of the parts (the part itself when alone).
    static func and(_ parts: [SearchFilter]) -> SearchFilter {
        .all(parts)
    }

    /// `(type=value*)`: the portal's "starts with" filters.
    static func startsWith(_ type: String, _ value: String) -> SearchFilter {
        .startsWith(type, value)
    }

    /// `(type=value)`.
    static func equals(_ type: String, _ value: String) -> SearchFilter {
        .equals(type, value)
    }
}

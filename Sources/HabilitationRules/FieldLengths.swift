import Messages

/// Upper bounds on the fields people type (R2, R4), from the upper bounds
/// X.520 gives the attribute types (ub-surname and ub-given-name 64,
/// ub-common-name 64, doubled here for "first last", ub-telephone-number
/// 32), RFC 5321 for a mailbox (254) and Annuaire's own for a group's label
/// and a description. slapd does not enforce a syntax's length hint, so
/// this does; a refusal names the field and its rule.
public enum FieldLengths {
    /// Lower-cased attribute type, maximum characters, the field in French and in English; the fields
    /// people type first, the ones built from them (cn) last, so that a refusal names what was typed.
    public static let bounds: [(type: String, maximum: Int, french: String, english: String)] = [
        ("sn", 64, "nom (sn)", "last name (sn)"),
        ("givenname", 64, "prénom (givenName)", "first name (givenName)"),
        ("mail", 254, "adresse mail (mail)", "e-mail address (mail)"),
        ("telephonenumber", 32, "téléphone (telephoneNumber)", "phone (telephoneNumber)"),
        (AttributeName.label.lowercased(), 128, "libellé (annLabel)", "label (annLabel)"),
        ("description", 1024, "description", "description"),
        ("cn", 128, "nom complet (cn)", "full name (cn)"),
    ]

    public static func check(_ entry: EntrySnapshot, rule: String) throws {
        for bound in bounds {
            for value in entry.values(bound.type) where value.count > bound.maximum {
                throw RuleViolation.constraint(.ruleFieldTooLong, [
                    "rule": rule, "field": Language.current == .french ? bound.french : bound.english,
                    "length": String(value.count), "maximum": String(bound.maximum),
                ])
            }
        }
    }
}

/// Annuaire's language preference request control (issue #16, item 5): the
/// language the client wants the server's messages in — the diagnostic
/// messages of rule refusals (R2…R11), which people read in the CLI and the
/// portal. Without it the server answers in French.
///
/// ```
/// controlType  2.25.309896955993207786281445528786519232768.4.1
/// criticality  FALSE (a server that does not know it answers in its own language)
/// controlValue the language tag (RFC 5646), e.g. "fr" or "en-GB", as UTF-8 octets
///              (an LDAPString, like the proxied authorization control's authzId, RFC 4370 §3)
/// ```
public enum LanguagePreferenceControl {
    public static let oid = "2.25.309896955993207786281445528786519232768.4.1"

    public static func control(tag: String) -> LDAPControl {
        LDAPControl(oid: oid, criticality: false, value: Array(tag.utf8))
    }

    /// The tag the client asked for, if it sent the control with a value.
    public static func tag(in controls: [LDAPControl]) -> String? {
        guard let value = controls.first(where: { $0.oid == oid })?.value, !value.isEmpty, value.count <= 35 else { return nil }
        return String(decoding: value, as: UTF8.self)
    }
}

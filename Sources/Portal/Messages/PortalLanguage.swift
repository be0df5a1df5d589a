/// The portal's languages: French first (the people it serves read
/// French), English second.
public enum PortalLanguage: String, Sendable, CaseIterable {
    case fr, en

    /// A language code from a form or cookie; French for anything else.
    public init(code: String?) {
        self = code.flatMap { PortalLanguage(rawValue: $0.lowercased()) } ?? .fr
    }
}

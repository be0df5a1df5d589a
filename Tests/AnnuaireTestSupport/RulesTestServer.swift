public import DirectoryBackend
public import Habilitations

/// What the tests of the rules need of a running server, whichever store is under it:
/// `InMemoryServer` (in process, no slapd) or `TestServer` (a real slapd), so one
/// fixture helper (another partner, a responsible's groups) serves both.
public protocol RulesTestServer: Sendable {
    /// The plain LDAP URL clients connect to.
    var url: String { get }
    var layout: DirectoryLayout { get }
    /// The store under the server, for reading what a test wrote (as the service identity).
    var store: any DirectoryStore { get }
    /// The rules service the server writes through.
    var habilitations: HabilitationService { get }
    /// Where the server's mails land.
    var maildir: MaildirTransport { get }
}

extension TestServer: RulesTestServer {
    public var layout: DirectoryLayout { directory.layout }
    public var store: any DirectoryStore { directory.store }
}

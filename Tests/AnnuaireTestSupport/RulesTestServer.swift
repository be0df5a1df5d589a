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

extension RulesTestServer {
    /// `ldapmodify` bound as the demo operator, with `ldif` on its standard input: what an
    /// operator's script does to the directory (R8: the operator may change anything).
    public func modifyAsOperator(_ ldif: String) async throws -> CommandResult {
        try await CommandLineTool.run(
            "ldapmodify", ["-x", "-H", url, "-D", layout.operatorAccount(DemoDirectory.operatorName), "-w", DemoDirectory.password],
            input: ldif)
    }
}

public import DirectoryServer
public import Foundation
public import Habilitations

/// Everything one run of the application is built from: what `annuaire serve`
/// reads from its options (configuration file, environment, command line), and
/// what a test sets in their place (an attached slapd, ports 0, a manual clock).
public struct ApplicationSettings: Sendable {
    /// Where the directory is kept.
    public var backend: ApplicationBackend
    /// The LDAP front-end's listeners and limits (its `suffix` is the directory's).
    public var server: ServerConfiguration
    /// The certificate for StartTLS, LDAPS and the portal; a TLS context already in `server` is kept.
    public var certificate: ApplicationCertificate = .none
    /// Where LDAPS listens when there is a certificate (nil: no LDAPS).
    public var ldapsAddress: ListenAddress?
    /// Raise the process's descriptor limit before the embedded slapd starts (which inherits it),
    /// and lower `server.maximumConnections` to what it allows (`DescriptorBudget`).
    public var fitsDescriptorLimit = false
    /// Load the demo directory into an empty embedded data folder.
    public var demo = false
    /// The Maildir of mails to people, beside which the outbox (`<folder>-outbox`) keeps the mails
    /// not yet delivered. Nil: `<data-dir>/mail` with the embedded slapd, else `./annuaire-mail`.
    public var mailFolder: URL?
    public var mailTransport: ApplicationMailTransport = .maildir
    /// Sender of the mails to people.
    public var mailFrom = "Annuaire <no-reply@annuaire.invalid>"
    /// A folder of mail texts replacing the French defaults (`MailTemplates`).
    public var mailTemplatesFolder: URL?
    /// Temporary password and recovery link lifetimes, the portal's URL in recovery mails (R6).
    public var passwordSettings = PasswordLifecycle.Settings()
    /// Rule-checked writes of one identity that may wait for the write gate at once.
    public var queuedWritesPerIdentity = 8
    /// The rules' clock (R5, R7 dates): the system's, or a test's.
    public var clock: any HabilitationClock = SystemClock()
    /// Time between two runs of the reconciler.
    public var reconcileInterval: Duration = .seconds(60)
    /// Time between two passes over the mail outbox (jobs waiting for an open date or a retry).
    public var mailDrainInterval: Duration = .seconds(30)
    /// Where Prometheus metrics and the health checks are served (nil: nowhere).
    public var metricsAddress: ListenAddress?
    /// The partner portal, if served.
    public var portal: ApplicationPortal?
    /// SIGTERM and SIGINT shut the application down gracefully (a process's main run; not a test's).
    public var stopsOnTerminationSignals = false
    /// Told of each listener once it is up (the welcome lines of `annuaire serve`, a test's ports).
    public var onListening: @Sendable (ApplicationListener) -> Void = { _ in }

    public init(backend: ApplicationBackend, server: ServerConfiguration) {
        self.backend = backend
        self.server = server
    }

    /// The outbox of mails kept for a retry (R6: never lost when the mail server is down),
    /// `<mail folder>-outbox`, as `annuaire backup` and `annuaire status` find it.
    public static func outboxFolder(ofMailFolder folder: URL) -> URL {
        folder.deletingLastPathComponent().appendingPathComponent(folder.lastPathComponent + "-outbox")
    }
}

import Habilitations
public import LDAPProtocol
public import Logging

/// One line per LDAP operation (RFC 4511 §4.2–§4.14), for operators: which
/// connection, which operation, who was bound, what came back and how long it
/// took. Requests are never logged whole: a Bind or Password Modify request
/// carries a password, and none of its fields but the DN and the result code
/// go into the line. Every string a client chose (DN, request name, bound
/// name, diagnostic) is cut to `maximumLoggedLength` characters, so that a
/// 20 MB search base grows the log by a line, not by 20 MB. Each line also
/// feeds the metrics (`ServerMetrics`).
public struct OperationLog: Sendable {
    public let logger: Logger
    /// The level of the per-operation lines (`--operation-log-level`).
    public let level: Logger.Level
    public let metrics: ServerMetrics?
    /// The connection's number, unique in this process.
    public let connectionID: UInt64

    public init(logger: Logger, level: Logger.Level, metrics: ServerMetrics?, connectionID: UInt64) {
        self.logger = logger
        self.level = level
        self.metrics = metrics
        self.connectionID = connectionID
    }

    /// The short, bounded name of an operation: metrics label and log field.
    /// Extended operations are named by the ones this server knows; any other
    /// request name counts as `extended` (label values stay few).
    public static func kind(of operation: ProtocolOperation) -> String {
        switch operation {
        case .bindRequest: "bind"
        case .unbindRequest: "unbind"
        case .searchRequest: "search"
        case .modifyRequest: "modify"
        case .addRequest: "add"
        case .deleteRequest: "delete"
        case .modifyDNRequest: "modifyDN"
        case .compareRequest: "compare"
        case .abandonRequest: "abandon"
        case .extendedRequest(let request): extendedKind(request.name)
        default: "response"
        }
    }

    static func extendedKind(_ oid: String) -> String {
        switch oid {
        case PasswordModifyRequest.oid: "passwordModify"
        case RootDSE.whoAmIOID: "whoAmI"
        case StartTLSHandler.oid: "startTLS"
        case CancelRequest.oid: "cancel"
        case CreateUserRequest.oid: "createUser"
        case ForgotPassword.oid: "forgotPassword"
        case ForgotPassword.completionOID: "completePasswordRecovery"
        case HabilitationService.resendIdentifierOID: "resendIdentifier"
        default: "extended"
        }
    }

    /// Characters of a client-supplied string kept in a log line or a diagnostic.
    public static let maximumLoggedLength = 256

    /// `text` cut to `limit` characters, saying how long it was.
    public static func bounded(_ text: String, limit: Int = maximumLoggedLength) -> String {
        guard text.utf8.count > limit else { return text }
        let cut = text.prefix(limit)
        guard cut.count < text.count else { return text }
        return "\(cut)… (\(text.utf8.count) bytes, cut)"
    }

    /// A diagnostic sent to a client, cut to four times the log bound (it may quote several client strings).
    public static func boundedDiagnostic(_ result: LDAPResult) -> LDAPResult {
        let limit = 4 * maximumLoggedLength
        guard result.diagnosticMessage.utf8.count > limit else { return result }
        var cut = result
        cut.diagnosticMessage = bounded(result.diagnosticMessage, limit: limit)
        return cut
    }

    /// The bound identity as logged: its DN, or `anonymous`.
    static func name(of identity: AccessPolicy.Identity) -> String {
        identity.dn ?? "anonymous"
    }

    /// Records one finished operation. `dn` is the entry or the bind name the
    /// request was about; `result` is nil for the operations without a
    /// response (unbind, abandon) and for abandoned ones.
    public func record(
        _ operation: ProtocolOperation, messageID: Int, identity: String, dn: String? = nil,
        result: LDAPResult?, started: ContinuousClock.Instant, abandoned: Bool = false
    ) {
        let elapsed = ContinuousClock.now - started
        let kind = Self.kind(of: operation)
        defer { metrics?.operationCompleted(kind, code: result?.code, abandoned: abandoned, duration: elapsed) }
        // The line is composed only when the logger writes it (a search costs a few µs less when the
        // operation lines are below the log level).
        guard logger.logLevel <= level else { return }
        var metadata: Logger.Metadata = [
            "connection": "\(connectionID)",
            "messageID": "\(messageID)",
            "operation": "\(kind)",
            "identity": "\(Self.bounded(identity))",
            "durationMs": "\(Self.milliseconds(elapsed))",
        ]
        if let dn, !dn.isEmpty { metadata["dn"] = "\(Self.bounded(dn))" }
        if case .extendedRequest(let request) = operation, kind == "extended" { metadata["oid"] = "\(Self.bounded(request.name))" }
        if let result {
            metadata["result"] = "\(result.code.rawValue)"
            if result.code != .success && !result.diagnosticMessage.isEmpty {
                metadata["diagnostic"] = "\(Self.bounded(result.diagnosticMessage, limit: 4 * Self.maximumLoggedLength))"
            }
        } else if abandoned {
            metadata["result"] = "abandoned"
        }
        logger.log(level: level, "operation", metadata: metadata)
    }

    /// The connection opened or closed, at the same level as the operations.
    public func connection(_ event: String, address: String) {
        logger.log(level: level, "connection \(event)", metadata: ["connection": "\(connectionID)", "client": "\(address)"])
    }

    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let micro = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        let fraction = String(micro % 1000)
        return "\(micro / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }

    /// The DN a request is about, for the log line.
    static func target(of operation: ProtocolOperation) -> String? {
        switch operation {
        case .bindRequest(let request): request.name
        case .searchRequest(let request): request.baseObject
        case .modifyRequest(let request): request.object
        case .addRequest(let request): request.entry
        case .deleteRequest(let dn): dn
        case .modifyDNRequest(let request): request.entry
        case .compareRequest(let request): request.entry
        default: nil
        }
    }
}

public import Logging
public import ServiceLifecycle

/// Retries the mails the outbox keeps (R6: never lost when the mail server is down).
public struct MailOutboxService: Service {
    let passwords: PasswordLifecycle
    let interval: Duration
    let logger: Logger

    public init(passwords: PasswordLifecycle, interval: Duration = .seconds(30), logger: Logger) {
        self.passwords = passwords
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let delivered = await passwords.drainOutbox()
                if delivered > 0 { logger.info("delayed mails delivered", metadata: ["count": "\(delivered)"]) }
                try await Task.sleep(for: interval)
            }
        }
    }
}

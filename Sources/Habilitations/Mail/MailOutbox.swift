public import Foundation
import NIOConcurrencyHelpers

/// Mail jobs that must not be lost when the mail server is down (R4, R6,
/// R9). A job names what to send and to whom — never a password or a
/// recovery token: a temporary password or a recovery token is generated
/// when its mail can actually be delivered,
/// so the outbox on disk holds no secret and the 24 hours start when the
/// person can receive it. Each job is written to `<folder>/<id>.json` (0600)
/// before it is tried, removed once delivered, and retried with growing
/// delays while it fails: a crash between the request and the delivery
/// loses nothing (the job is tried again at the next start).
public final class MailOutbox: Sendable {
    public enum Job: Codable, Sendable, Hashable {
        case identifier(dn: String)
        case temporaryPassword(dn: String)
        /// R6: a password recovery link; its token is made when the mail goes, never stored here.
        case recoveryLink(dn: String)
        /// R9: the identifier mailed again, in its own words (no second mail announced).
        case identifierReminder(dn: String)
    }

    /// Thrown by a delivery that must wait (a first password before its user opens): the job is
    /// kept for `until`, without counting as a failed attempt.
    public struct Postponed: Error, Sendable {
        public var until: Date
        public init(until: Date) { self.until = until }
    }

    struct Pending: Codable, Sendable {
        var job: Job
        var attempts: Int
        var nextAttempt: Date
    }

    public let folder: URL
    private let lock = NIOLock()
    /// Jobs being tried right now, so a drain does not send them a second time.
    private let inFlight = NIOLockedValueBox(Set<String>())

    public init(folder: URL) throws {
        self.folder = folder
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    /// Delivers now, or keeps the job for later; returns whether it was delivered.
    @discardableResult
    public func submit(_ job: Job, now: Date, deliver: @Sendable (Job) async throws -> Void) async -> Bool {
        let id = "\(Int(now.timeIntervalSince1970 * 1000))-\(UUID().uuidString)"
        inFlight.withLockedValue { _ = $0.insert(id) }
        defer { inFlight.withLockedValue { _ = $0.remove(id) } }
        await onDisk { $0.store(Pending(job: job, attempts: 0, nextAttempt: now), id: id) }
        do {
            try await deliver(job)
            await onDisk { $0.remove(id) }
            return true
        } catch let postponed as Postponed {
            await onDisk { $0.store(Pending(job: job, attempts: 0, nextAttempt: max(postponed.until, now)), id: id) }
            return false
        } catch {
            await onDisk { $0.store(Pending(job: job, attempts: 1, nextAttempt: now.addingTimeInterval(Self.delay(after: 1))), id: id) }
            return false
        }
    }

    /// Keeps a job to be tried first at `date` (R6: a first password mailed on its user's open date).
    public func schedule(_ job: Job, at date: Date) async {
        let id = "\(Int(date.timeIntervalSince1970 * 1000))-\(UUID().uuidString)"
        await onDisk { $0.store(Pending(job: job, attempts: 0, nextAttempt: date), id: id) }
    }

    /// Retries the jobs that are due; returns how many were delivered.
    @discardableResult
    public func drain(now: Date, deliver: @Sendable (Job) async throws -> Void) async -> Int {
        var delivered = 0
        let due = (try? await BlockingWork.run { [self] in self.load() }) ?? []
        for (id, pending) in due where pending.nextAttempt <= now {
            guard inFlight.withLockedValue({ $0.insert(id).inserted }) else { continue }
            defer { inFlight.withLockedValue { _ = $0.remove(id) } }
            do {
                try await deliver(pending.job)
                await onDisk { $0.remove(id) }
                delivered += 1
            } catch let postponed as Postponed {
                var next = pending
                next.nextAttempt = max(postponed.until, now)
                let later = next
                await onDisk { $0.store(later, id: id) }
            } catch {
                var next = pending
                next.attempts += 1
                next.nextAttempt = now.addingTimeInterval(Self.delay(after: next.attempts))
                let retry = next
                await onDisk { $0.store(retry, id: id) }
            }
        }
        return delivered
    }

    /// Runs a file operation of the outbox (they fsync) off the event loops and cooperative threads.
    private func onDisk(_ body: @escaping @Sendable (MailOutbox) -> Void) async {
        _ = try? await BlockingWork.run { [self] in body(self) }
    }

    /// Jobs waiting for delivery.
    public var pendingCount: Int { load().count }

    /// 30 s, 1 min, 2 min, … up to an hour.
    static func delay(after attempts: Int) -> TimeInterval {
        min(3600, 30 * pow(2, Double(max(0, attempts - 1))))
    }

    private func load() -> [(String, Pending)] {
        lock.withLock {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            return names.filter { $0.hasSuffix(".json") }.sorted().compactMap { name in
                guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path),
                      let pending = try? JSONDecoder().decode(Pending.self, from: data)
                else { return nil }
                return (String(name.dropLast(5)), pending)
            }
        }
    }

    private func store(_ pending: Pending, id: String) {
        lock.withLock {
            guard let data = try? JSONEncoder().encode(pending) else { return }
            let path = folder.appendingPathComponent("\(id).json").path
            _ = FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600])
        }
    }

    private func remove(_ id: String) {
        lock.withLock { _ = try? FileManager.default.removeItem(at: folder.appendingPathComponent("\(id).json")) }
    }
}

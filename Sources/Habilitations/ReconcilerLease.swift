public import DirectoryBackend
public import Foundation
import LDAPProtocol
import NIOConcurrencyHelpers

/// One reconciler at a time among several front-ends (issue #19, several machines): a lease
/// entry in the directory, `cn=reconciler-lease,ou=counters`, whose `description` says who holds
/// it until when (`holder <id> until <GeneralizedTime>`). A front-end takes or renews it with a
/// Modify carrying an RFC 4528 assertion on the `entryCSN` it read, so of two front-ends that
/// read the same lease only one replaces it (the other gets `assertionFailed`, 122); a front-end
/// runs the reconciler only while it holds an unexpired lease. The holder renews it at every run;
/// when it stops (crash, network cut), another takes over once `duration` has passed.
///
/// What it does not cover: two providers cut off from each other each accept one front-end's
/// claim; both reconcilers then run until replication merges the entry (the later CSN wins and
/// the other holder's next renewal fails its assertion). That is harmless for the derived state
/// (every derivation is idempotent and recomputed from the memberships) and costs at most the
/// first-password mails of memberships opening during the partition being sent by both.
public final class ReconcilerLease: Sendable {
    public let store: any DirectoryStore
    public let layout: DirectoryLayout
    /// Who this front-end is in the lease (host, process, a random part: a restarted process is another holder).
    public let holder: String
    public let duration: TimeInterval
    let clock: any HabilitationClock
    private let renewedUntil = NIOLockedValueBox<Date?>(nil)

    public init(store: any DirectoryStore, layout: DirectoryLayout, holder: String, duration: TimeInterval, clock: any HabilitationClock = SystemClock()) {
        self.store = store
        self.layout = layout
        self.holder = holder
        self.duration = duration
        self.clock = clock
    }

    /// `<host>/<pid>/<random>`: unique per process.
    public static func processHolder() -> String {
        "\(ProcessInfo.processInfo.hostName)/\(getpid())/\(UInt32.random(in: 0...UInt32.max))"
    }

    public var entry: String { "cn=reconciler-lease,ou=counters,\(layout.suffix)" }

    /// The lease as it stands in the directory.
    public struct State: Sendable, Equatable {
        public var holder: String
        public var until: Date
    }

    /// Takes or renews the lease; true while this front-end holds it. Renewed in the directory
    /// only once a third of `duration` has passed since the last renewal.
    public func acquireOrRenew() async throws -> Bool {
        let now = clock.now
        if let until = renewedUntil.withLockedValue({ $0 }), until.timeIntervalSince(now) > duration * 2 / 3 {
            return true
        }
        let held = try await claim(now: now)
        renewedUntil.withLockedValue { $0 = held ? now.addingTimeInterval(duration) : nil }
        return held
    }

    /// Gives the lease up (at shutdown), so that another front-end takes over without waiting.
    public func release() async {
        renewedUntil.withLockedValue { $0 = nil }
        guard let (state, csn) = try? await read(), state?.holder == holder, let csn else { return }
        _ = try? await replace(with: State(holder: holder, until: clock.now.addingTimeInterval(-1)), assertingCSN: csn)
    }

    private func claim(now: Date) async throws -> Bool {
        guard let (state, csn) = try await read() else {
            do {
                _ = try await store.add(
                    dn: entry,
                    attributes: [
                        PartialAttribute(type: "objectClass", strings: ["applicationProcess"]),
                        PartialAttribute(type: "cn", strings: ["reconciler-lease"]),
                        PartialAttribute(type: "description", strings: [Self.text(State(holder: holder, until: now.addingTimeInterval(duration)))]),
                    ],
                    controls: [])
                return true
            } catch let error as LDAPOperationError where error.code == .entryAlreadyExists {
                return false
            }
        }
        if let state, state.holder != holder, state.until > now { return false }
        guard let csn else { return false }
        do {
            try await replace(with: State(holder: holder, until: now.addingTimeInterval(duration)), assertingCSN: csn)
            return true
        } catch let error as LDAPOperationError where error.code == .assertionFailed || error.code == .noSuchObject {
            return false
        }
    }

    /// The lease entry's state and entryCSN; nil when there is no lease entry yet.
    public func read() async throws -> (State?, String?)? {
        guard let found = try await store.read(entry, attributes: ["description", "entryCSN"]) else { return nil }
        let csn = found.values(of: "entryCSN").first.map { String(decoding: $0, as: UTF8.self) }
        let state = found.values(of: "description").first.flatMap { Self.parse(String(decoding: $0, as: UTF8.self)) }
        return (state, csn)
    }

    private func replace(with state: State, assertingCSN csn: String) async throws {
        let assertion = try AssertionControl(.equality("entryCSN", Array(csn.utf8))).control()
        _ = try await store.modify(
            dn: entry,
            changes: [.init(operation: .replace, modification: PartialAttribute(type: "description", strings: [Self.text(state)]))],
            controls: [assertion])
    }

    static func text(_ state: State) -> String {
        "holder \(state.holder) until \(GeneralizedTime.string(state.until))"
    }

    static func parse(_ text: String) -> State? {
        let words = text.split(separator: " ")
        guard words.count == 4, words[0] == "holder", words[2] == "until", let until = GeneralizedTime.date(String(words[3])) else { return nil }
        return State(holder: String(words[1]), until: until)
    }
}

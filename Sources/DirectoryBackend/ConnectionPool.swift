import NIOConcurrencyHelpers
import NIOPosix
import Glibc
import LDAPProtocol

/// A bounded pool of libldap handles to one endpoint. Each handle is leased to
/// one task at a time and used only on the pool's threads (an `NIOThreadPool`),
/// never on a NIO event loop (docs/architecture.md, libldap pitfalls).
///
/// When libldap reports a lost connection, the pool's generation moves on and
/// every idle handle of an older generation is reopened before its next use:
/// after slapd restarts, no request meets a dead handle twice.
final class ConnectionPool: Sendable {
    let endpoint: BackendEndpoint
    let capacity: Int
    private let threadPool: NIOThreadPool
    /// How long opening a handle keeps retrying while the store is (re)starting.
    private let reconnectGrace: Duration

    private struct State {
        var idle: [LDAPConnection] = []
        var leased = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
        var generation = 0
        var closed = false
    }
    private let state = NIOLockedValueBox(State())

    init(endpoint: BackendEndpoint, capacity: Int, threadPool: NIOThreadPool, reconnectGrace: Duration = .seconds(5)) {
        precondition(capacity > 0)
        self.endpoint = endpoint
        self.capacity = capacity
        self.threadPool = threadPool
        self.reconnectGrace = reconnectGrace
    }

    /// A handle slot held by one task: the handle may be nil (to be opened) or stale.
    struct Lease: Sendable {
        fileprivate(set) var connection: LDAPConnection?
        fileprivate(set) var reused: Bool
        init(connection: LDAPConnection?, reused: Bool) {
            self.connection = connection
            self.reused = reused
        }
    }

    /// Waits for a free slot.
    func lease() async throws -> Lease {
        while true {
            enum Step { case got(Lease), wait, closed }
            let step: Step = state.withLockedValue { state in
                if state.closed { return .closed }
                if let connection = state.idle.popLast() {
                    state.leased += 1
                    return .got(Lease(connection: connection, reused: true))
                }
                if state.leased + state.idle.count < capacity {
                    state.leased += 1
                    return .got(Lease(connection: nil, reused: false))
                }
                return .wait
            }
            switch step {
            case .got(let lease): return lease
            case .closed: throw LDAPOperationError(.unavailable, "the server is shutting down")
            case .wait:
                await withCheckedContinuation { continuation in
                    let resumeNow = state.withLockedValue { state -> Bool in
                        if state.closed || state.leased + state.idle.count < capacity || !state.idle.isEmpty { return true }
                        state.waiters.append(continuation)
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            }
        }
    }

    /// Returns a slot; a broken handle is dropped and moves the generation on.
    func giveBack(_ lease: Lease) {
        let waiter: CheckedContinuation<Void, Never>? = state.withLockedValue { state in
            state.leased -= 1
            if let connection = lease.connection {
                if connection.isBroken {
                    if connection.generation == state.generation { state.generation += 1 }
                } else if !state.closed {
                    state.idle.append(connection)
                }
            }
            return state.waiters.isEmpty ? nil : state.waiters.removeFirst()
        }
        waiter?.resume()
    }

    /// Runs `body` with the lease's handle on a pool thread, opening or
    /// reopening the handle first when needed.
    func run<T: Sendable>(_ lease: inout Lease, _ body: @Sendable @escaping (LDAPConnection) throws -> T) async throws -> T {
        let generation = state.withLockedValue { $0.generation }
        let endpoint = self.endpoint
        let grace = self.reconnectGrace
        let current = lease.connection
        let (connection, result): (LDAPConnection?, Result<T, any Error>) = try await threadPool.runIfActive {
            var connection = current
            if let existing = connection, existing.isBroken || existing.generation < generation {
                existing.close()
                connection = nil
            }
            if connection == nil {
                do {
                    connection = try Self.open(endpoint, generation: generation, grace: grace)
                } catch {
                    return (nil, .failure(error))
                }
            }
            guard let connection else { return (nil, .failure(LDAPOperationError(.unavailable, "no connection"))) }
            do {
                return (connection, .success(try body(connection)))
            } catch {
                return (connection, .failure(error))
            }
        }
        if connection !== current { lease.reused = false }
        lease.connection = connection
        return try result.get()
    }

    /// Leases a handle for one blocking call. A read that fails because a
    /// reused handle had lost its connection is tried once more on a new one.
    func withConnection<T: Sendable>(retryOnLostConnection: Bool = false, _ body: @Sendable @escaping (LDAPConnection) throws -> T) async throws -> T {
        var lease = try await lease()
        do {
            let value = try await run(&lease, body)
            giveBack(lease)
            return value
        } catch is LDAPOperationError where retryOnLostConnection && lease.reused && lease.connection?.isBroken == true {
            giveBack(lease)
            var fresh = try await self.lease()
            fresh.connection?.close()
            do {
                let value = try await run(&fresh, body)
                giveBack(fresh)
                return value
            } catch {
                giveBack(fresh)
                throw error
            }
        } catch {
            giveBack(lease)
            throw error
        }
    }

    /// Moves the generation on: every handle is reopened before its next use (a leased one
    /// finishes its operation first). `ProviderWatch` calls it when the preferred provider is back.
    func reopenAll() {
        state.withLockedValue { $0.generation += 1 }
    }

    /// Closes every idle handle and refuses new leases.
    func close() {
        let (idle, waiters) = state.withLockedValue { state -> ([LDAPConnection], [CheckedContinuation<Void, Never>]) in
            state.closed = true
            defer { state.idle = []; state.waiters = [] }
            return (state.idle, state.waiters)
        }
        for connection in idle { connection.close() }
        for waiter in waiters { waiter.resume() }
    }

    /// Opens a handle, retrying for `grace` while the store is unreachable (restarting).
    static func open(_ endpoint: BackendEndpoint, generation: Int, grace: Duration) throws -> LDAPConnection {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: grace)
        while true {
            do {
                return try LDAPConnection(endpoint: endpoint, generation: generation)
            } catch let error as LDAPOperationError where error.code == .unavailable && clock.now < deadline {
                usleep(100_000)
            }
        }
    }
}

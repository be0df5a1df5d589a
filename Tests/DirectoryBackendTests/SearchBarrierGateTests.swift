@testable import DirectoryBackend
import Dispatch
import Foundation
import NIOConcurrencyHelpers
import Testing

/// The transaction barrier and the searches kept apart (`SearchBarrierGate`): which searches wait,
/// when a barrier may be sent, that a transaction's drain holds new searches back for at most its
/// time (5 ms), and that the searches held back go afterwards. No slapd needed: the gate is
/// bookkeeping; `TransactionBarrierTests` runs it against slapd.
@Suite("Search barrier gate: searches of more than one entry and the transaction barrier kept apart")
struct SearchBarrierGateTests {
    @Test("every one-level or subtree search is gated, whatever its size limit (slapd's pause waits for a long scan); a base search is not")
    func whichSearches() {
        #expect(SearchBarrierGate.isGated(baseScope: false))
        #expect(!SearchBarrierGate.isGated(baseScope: true))
    }

    @Test("with no search in progress the barrier goes at once; another transaction meanwhile is told to pause; one barrier at a time")
    func barrierAtOnce() {
        let gate = SearchBarrierGate()
        #expect(gate.drainForBarrier(within: 20_000) == .barrier)
        #expect(gate.drainForBarrier(within: 20_000) == .busy)
        gate.endBarrier()
        #expect(gate.drainForBarrier(within: 20_000) == .barrier)
        gate.endBarrier()
        #expect(gate.searchesInProgress == 0)
    }

    @Test("a drain holds new searches back and sends the barrier when the last search in progress ends; those held back go when it is answered")
    func drainWaitsForSearches() {
        let gate = SearchBarrierGate()
        #expect(gate.enter { Issue.record("a search was held back although no barrier was draining") })
        let outcome = NIOLockedValueBox<SearchBarrierGate.Drain?>(nil)
        let drained = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let drain = gate.drainForBarrier(within: 10_000_000)
            outcome.withLockedValue { $0 = drain }
            drained.signal()
        }
        // Once the drain has begun, a new search is held back.
        let resumed = NIOLockedValueBox(0)
        var held = false
        for _ in 0..<2_000 {
            if !gate.enter({ resumed.withLockedValue { $0 += 1 } }) {
                held = true
                break
            }
            gate.leave()
            usleep(1_000)
        }
        #expect(held, "no search was held back while a transaction drained the gate")
        #expect(outcome.withLockedValue { $0 } == nil, "the barrier went while a search was in progress")
        gate.leave()
        drained.wait()
        #expect(outcome.withLockedValue { $0 } == .barrier)
        #expect(resumed.withLockedValue { $0 } == 0)
        gate.endBarrier()
        #expect(resumed.withLockedValue { $0 } == 1)
        #expect(gate.searchesInProgress == 1)
        gate.leave()
    }

    @Test("a search in progress that outlasts the drain: the transaction gives the barrier up after the drain's time and lets the searches go again")
    func drainWaitsAtMostItsTime() {
        let gate = SearchBarrierGate()
        #expect(gate.enter { Issue.record("a search was held back although no barrier was draining") })
        let started = ContinuousClock.now
        #expect(gate.drainForBarrier(within: TransactionSettling.drainMicroseconds) == .waitedOut)
        let waited = ContinuousClock.now - started
        #expect(waited >= .microseconds(Int(TransactionSettling.drainMicroseconds) - 1_000) && waited < .seconds(5), "the drain waited \(waited)")
        #expect(gate.enter { Issue.record("a search was held back after the drain gave up") })
        #expect(gate.searchesInProgress == 2)
        gate.leave()
        gate.leave()
    }

    @Test("the async entry waits out a barrier in flight and counts once it goes")
    func asyncEntry() async {
        let gate = SearchBarrierGate()
        #expect(gate.drainForBarrier(within: 20_000) == .barrier)
        let waiting = Task {
            await gate.enter()
            return gate.searchesInProgress
        }
        try? await Task.sleep(for: .milliseconds(20))
        #expect(gate.searchesInProgress == 0)
        gate.endBarrier()
        #expect(await waiting.value == 1)
        gate.leave()
        #expect(gate.drainForBarrier(within: 20_000) == .barrier)
        gate.endBarrier()
    }
}

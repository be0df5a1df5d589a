@testable import DirectoryBackend
import NIOConcurrencyHelpers
import Testing

/// The transaction barrier and the searches kept apart (`SearchBarrierGate`): which searches wait,
/// when a barrier may be sent, and that a search held back goes once the barrier is answered.
/// No slapd needed: the gate is bookkeeping; `TransactionBarrierTests` runs it against slapd.
@Suite("Search barrier gate: searches of more than one entry and the transaction barrier kept apart")
struct SearchBarrierGateTests {
    @Test("every one-level or subtree search is gated, whatever its size limit (slapd's pause waits for a long scan); a base search is not")
    func whichSearches() {
        #expect(SearchBarrierGate.isGated(baseScope: false))
        #expect(!SearchBarrierGate.isGated(baseScope: true))
    }

    @Test("no barrier while a search is in progress; one once it is over, and only one at a time")
    func barrierWaitsForSearches() {
        let gate = SearchBarrierGate()
        #expect(gate.enter { Issue.record("a search resumed although no barrier was in flight") })
        #expect(!gate.beginBarrier())
        gate.leave()
        #expect(gate.beginBarrier())
        #expect(!gate.beginBarrier())
        gate.endBarrier()
        #expect(gate.beginBarrier())
        gate.endBarrier()
        #expect(gate.searchesInProgress == 0)
    }

    @Test("a search that comes while a barrier is in flight waits, goes when it is answered, and then keeps the next barrier back")
    func searchWaitsForBarrier() {
        let gate = SearchBarrierGate()
        #expect(gate.beginBarrier())
        let resumed = NIOLockedValueBox(0)
        #expect(!gate.enter { resumed.withLockedValue { $0 += 1 } })
        #expect(!gate.enter { resumed.withLockedValue { $0 += 1 } })
        #expect(resumed.withLockedValue { $0 } == 0)
        #expect(gate.searchesInProgress == 0)
        gate.endBarrier()
        #expect(resumed.withLockedValue { $0 } == 2)
        #expect(gate.searchesInProgress == 2)
        #expect(!gate.beginBarrier())
        gate.leave()
        gate.leave()
        #expect(gate.beginBarrier())
        gate.endBarrier()
    }

    @Test("the async entry waits out a barrier in flight and counts once it goes")
    func asyncEntry() async {
        let gate = SearchBarrierGate()
        #expect(gate.beginBarrier())
        let waiting = Task {
            await gate.enter()
            return gate.searchesInProgress
        }
        // Not answered yet: nothing counts.
        try? await Task.sleep(for: .milliseconds(20))
        #expect(gate.searchesInProgress == 0)
        gate.endBarrier()
        #expect(await waiting.value == 1)
        gate.leave()
        #expect(gate.beginBarrier())
        gate.endBarrier()
    }
}

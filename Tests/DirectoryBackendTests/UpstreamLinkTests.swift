import AnnuaireTestSupport
@testable import DirectoryBackend
import Foundation
import Glibc
import LDAPProtocol
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing

/// Issue #18: the fast path's upstream links, against a real slapd. Requests from many
/// operations share one link under the link's own message IDs; each answer reaches its request
/// only; an abandoned request's late answers are dropped; IDs wrap around after maxInt; a link
/// that dies fails its requests with 52 and the next request opens a new one.
@Suite("Upstream links: multiplexing, abandon, wrap-around, slapd restarts", .serialized)
struct UpstreamLinkTests {
    /// Collects the answers to one request, on the link's event loop.
    final class Collector: UpstreamOperation, @unchecked Sendable {
        struct State {
            var entries: [String] = []
            var upstreamIDs: Set<Int32> = []
            var result: LDAPResult?
            var failure: LDAPOperationError?
            /// Stop after this many entries and ask the link to abandon.
            var abandonAfter: Int?
        }
        let state = NIOLockedValueBox(State())
        let done: EventLoopPromise<Void>

        init(loop: any EventLoop, abandonAfter: Int? = nil) {
            done = loop.makePromise()
            state.withLockedValue { $0.abandonAfter = abandonAfter }
        }

        func received(_ pdu: ByteBuffer, envelope: LDAPEnvelope) -> UpstreamDisposition {
            let message = try? LDAPMessage(berEncoded: Array(pdu.readableBytesView)[...])
            return state.withLockedValue { state in
                state.upstreamIDs.insert(envelope.messageID)
                switch message?.operation {
                case .searchResultEntry(let entry):
                    state.entries.append(entry.objectName)
                    if let limit = state.abandonAfter, state.entries.count >= limit {
                        done.succeed()
                        return .abandon
                    }
                    return .more
                case .searchResultDone(let result):
                    state.result = result
                    done.succeed()
                    return .finished
                default:
                    return .more
                }
            }
        }

        func failed(_ error: LDAPOperationError) {
            state.withLockedValue { $0.failure = error }
            done.succeed()
        }

        func batchEnded() {}
    }

    static func request(_ search: SearchRequest, for collector: Collector) -> UpstreamRequest {
        UpstreamRequest(operation: collector) { id in
            ByteBuffer(bytes: try LDAPMessage(messageID: Int(id), operation: .searchRequest(search)).serializedBytes())
        }
    }

    static func links(_ directory: TestDirectory, linksPerLoop: Int = 1) -> UpstreamLinks? {
        UpstreamLinks(
            endpoint: directory.slapd.endpoint, bindEndpoint: directory.slapd.endpoint.anonymous,
            settings: .init(linksPerLoop: linksPerLoop, operationsPerLink: 64, reconnectGrace: .seconds(20)))
    }

    /// Every entry of the directory, through a link.
    static func allEntries(_ loopLinks: UpstreamLoopLinks, suffix: String) async throws -> [String] {
        let collector = Collector(loop: loopLinks.eventLoop)
        let request = Self.request(SearchRequest(baseObject: suffix, scope: .wholeSubtree, attributes: ["1.1"]), for: collector)
        try await loopLinks.eventLoop.submit { loopLinks.submit(request) }.get()
        try await collector.done.futureResult.get()
        return collector.state.withLockedValue { $0.entries }
    }

    @Test("40 searches at once on one link: each gets exactly its own entry and result, under distinct upstream IDs", .timeLimit(.minutes(2)))
    func multiplexing() async throws {
        try await TestDirectory.with { directory in
            let links = try #require(Self.links(directory))
            let loop = MultiThreadedEventLoopGroup.singleton.next()
            let loopLinks = links.links(for: loop)
            let names = Array(try await Self.allEntries(loopLinks, suffix: directory.layout.suffix).prefix(40))
            #expect(names.count >= 20, "the demo directory is too small for this test")
            let collectors = names.map { _ in Collector(loop: loop) }
            let requests = zip(names, collectors).map { name, collector in
                Self.request(SearchRequest(baseObject: name, scope: .baseObject, attributes: ["1.1"]), for: collector)
            }
            // All submitted in one go on the loop: they are in flight together.
            try await loop.submit { for request in requests { loopLinks.submit(request) } }.get()
            for collector in collectors { try await collector.done.futureResult.get() }
            var seenIDs: Set<Int32> = []
            for (name, collector) in zip(names, collectors) {
                let state = collector.state.withLockedValue { $0 }
                #expect(state.entries == [name])
                #expect(state.result?.code == .success)
                #expect(state.upstreamIDs.count == 1)
                seenIDs.formUnion(state.upstreamIDs)
            }
            #expect(seenIDs.count == names.count)
            #expect(try await loop.submit { loopLinks.openLinks }.get() == 1)
            await links.close()
        }
    }

    @Test("message IDs wrap around after maxInt (2^31 - 1) to 1, and answers still reach their requests", .timeLimit(.minutes(2)))
    func wrapAround() async throws {
        try await TestDirectory.with { directory in
            let links = try #require(Self.links(directory))
            let loop = MultiThreadedEventLoopGroup.singleton.next()
            let loopLinks = links.links(for: loop)
            try await loop.submit { loopLinks.firstMessageID = Int32.max - 2 }.get()
            var allIDs: Set<Int32> = []
            for round in 0..<3 {
                let collectors = (0..<3).map { _ in Collector(loop: loop) }
                let requests = collectors.map {
                    Self.request(SearchRequest(baseObject: directory.layout.suffix, scope: .baseObject, attributes: ["1.1"]), for: $0)
                }
                try await loop.submit { for request in requests { loopLinks.submit(request) } }.get()
                for collector in collectors {
                    try await collector.done.futureResult.get()
                    let state = collector.state.withLockedValue { $0 }
                    #expect(state.entries == [directory.layout.suffix], "round \(round)")
                    #expect(state.result?.code == .success)
                    allIDs.formUnion(state.upstreamIDs)
                }
            }
            #expect(allIDs.contains(Int32.max))
            #expect(allIDs.contains(1))
            #expect(allIDs.allSatisfy { $0 > 0 })
            await links.close()
        }
    }

    @Test("an abandoned search's late answers are dropped; the link goes on serving other requests", .timeLimit(.minutes(2)))
    func lateAnswersAfterAbandon() async throws {
        try await TestDirectory.with { directory in
            let links = try #require(Self.links(directory))
            let loop = MultiThreadedEventLoopGroup.singleton.next()
            let loopLinks = links.links(for: loop)
            let total = try await Self.allEntries(loopLinks, suffix: directory.layout.suffix).count
            #expect(total > 20)
            // Given up after 2 entries, while slapd is still sending the rest.
            let abandoned = Collector(loop: loop, abandonAfter: 2)
            let followers = (0..<5).map { _ in Collector(loop: loop) }
            let big = Self.request(SearchRequest(baseObject: directory.layout.suffix, scope: .wholeSubtree), for: abandoned)
            let small = followers.map {
                Self.request(SearchRequest(baseObject: directory.layout.suffix, scope: .baseObject, attributes: ["1.1"]), for: $0)
            }
            try await loop.submit {
                loopLinks.submit(big)
                for request in small { loopLinks.submit(request) }
            }.get()
            try await abandoned.done.futureResult.get()
            for follower in followers { try await follower.done.futureResult.get() }
            // One more full search after: whatever slapd still sent for the abandoned one was dropped on the way.
            #expect(try await Self.allEntries(loopLinks, suffix: directory.layout.suffix).count == total)
            let state = abandoned.state.withLockedValue { $0 }
            #expect(state.entries.count == 2)
            #expect(state.result == nil)
            #expect(big.isOver)
            for follower in followers {
                #expect(follower.state.withLockedValue { $0.result?.code } == .success)
            }
            await links.close()
        }
    }

    @Test("slapd killed with searches pending: they fail with unavailable (52), and the next search opens a new link once slapd is back", .timeLimit(.minutes(3)))
    func restartWithPendingSearches() async throws {
        try await TestDirectory.with { directory in
            let links = try #require(Self.links(directory))
            let loop = MultiThreadedEventLoopGroup.singleton.next()
            let loopLinks = links.links(for: loop)
            #expect(try await Self.allEntries(loopLinks, suffix: directory.layout.suffix).count > 0)
            let pid = try #require(directory.slapd.pid)
            // 60 whole-directory searches, then slapd killed at once: most are still pending.
            let pending = (0..<60).map { _ in Collector(loop: loop) }
            let requests = pending.map {
                Self.request(SearchRequest(baseObject: directory.layout.suffix, scope: .wholeSubtree), for: $0)
            }
            try await loop.submit {
                for request in requests { loopLinks.submit(request) }
                kill(pid, SIGKILL)
            }.get()
            for collector in pending { try await collector.done.futureResult.get() }
            var failed = 0
            for collector in pending {
                let state = collector.state.withLockedValue { $0 }
                // Each ends exactly once: answered whole before the kill, or failed with 52.
                #expect((state.result != nil) != (state.failure != nil))
                if let failure = state.failure {
                    #expect(failure.code == .unavailable)
                    failed += 1
                }
            }
            #expect(failed > 0, "slapd answered all 60 searches before it was killed: the test proves nothing")
            #expect(try await eventually { directory.slapd.restartCount >= 1 && directory.slapd.pid != nil && directory.slapd.pid != pid })
            // The dead link is gone; the next search opens another (retrying while slapd starts).
            #expect(try await Self.allEntries(loopLinks, suffix: directory.layout.suffix).count > 0)
            #expect(try await loop.submit { loopLinks.openLinks }.get() == 1)
            await links.close()
        }
    }

    @Test("links retired (a failover or failback of the provider watch, issue #19): searches in flight on them are answered whole, none fails; the next search opens a new link", .timeLimit(.minutes(2)))
    func retiredLinksFinishTheirRequests() async throws {
        try await TestDirectory.with { directory in
            let links = try #require(Self.links(directory))
            let loop = MultiThreadedEventLoopGroup.singleton.next()
            let loopLinks = links.links(for: loop)
            let everyone = try await Self.allEntries(loopLinks, suffix: directory.layout.suffix)
            #expect(try await loop.submit { loopLinks.openLinks }.get() == 1)
            let pending = (0..<20).map { _ in Collector(loop: loop) }
            let requests = pending.map {
                Self.request(SearchRequest(baseObject: directory.layout.suffix, scope: .wholeSubtree, attributes: ["1.1"]), for: $0)
            }
            // Sent, then the link retired at once, on the loop: the searches are in flight on it.
            let openAfterRetire = try await loop.submit {
                for request in requests { loopLinks.submit(request) }
                loopLinks.retire()
                return loopLinks.openLinks
            }.get()
            #expect(openAfterRetire == 0)
            for collector in pending { try await collector.done.futureResult.get() }
            for collector in pending {
                let state = collector.state.withLockedValue { $0 }
                #expect(state.failure == nil, "a search in flight on a retired link failed: \(String(describing: state.failure))")
                #expect(state.result?.code == .success)
                #expect(state.entries.count == everyone.count)
            }
            #expect(try await Self.allEntries(loopLinks, suffix: directory.layout.suffix).count == everyone.count)
            #expect(try await loop.submit { loopLinks.openLinks }.get() == 1)
            await links.close()
        }
    }
}

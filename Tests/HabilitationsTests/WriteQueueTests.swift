import AnnuaireTestSupport
import Foundation
@testable import Habilitations
import LDAPProtocol
import Testing

/// Issue #14, finding 8: refused writes no longer starve everyone's writes.
/// A write the rules (R8) refuse is refused before it queues for the write
/// gate; one identity has at most 8 writes waiting at once, one more is
/// answered `busy` (51) at once. The gate is held by the test, so nothing
/// here depends on timing: an answer that needed the gate would never come.
@Suite("Write queue: refusals first, a few waiting writes per identity (issue #14 finding 8)")
struct WriteQueueTests {
    /// Holds the server's write gate until `release()`.
    final class GateHolder: @unchecked Sendable {
        private let lock = NSLock()
        private var holding = false
        private var continuation: CheckedContinuation<Void, Never>?
        private var released = false
        var isHolding: Bool { lock.withLock { holding } }

        func hold(_ gate: WriteGate) -> Task<Void, any Error> {
            Task {
                try await gate.withLock {
                    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                        let resume = lock.withLock { () -> Bool in
                            holding = true
                            if released { return true }
                            self.continuation = continuation
                            return false
                        }
                        if resume { continuation.resume() }
                    }
                }
            }
        }

        func release() {
            let waiting = lock.withLock { () -> CheckedContinuation<Void, Never>? in
                released = true
                defer { continuation = nil }
                return continuation
            }
            waiting?.resume()
        }
    }

    static func bound(_ server: TestServer, _ dn: String) async throws -> RawLDAPClient {
        let client = try RawLDAPClient(port: server.port, timeoutSeconds: 20)
        try await client.send(LDAPMessage(messageID: 1, operation: .bindRequest(BindRequest(
            name: dn, authentication: .simple(password: Array(DemoDirectory.password.utf8))))))
        guard case .bindResponse(let response) = try #require(try await client.receive()).operation, response.result.code == .success else {
            throw EmbeddedSlapdTestError("bind as \(dn) failed")
        }
        return client
    }

    /// A BER TLV with a definite length.
    static func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        let count = content.count
        let length: [UInt8] = count < 0x80 ? [UInt8(count)]
            : count < 0x100 ? [0x81, UInt8(count)] : [0x82, UInt8(count >> 8), UInt8(count & 0xFF)]
        return [tag] + length + content
    }

    /// A Modify replacing `description` (RFC 4511 §4.6), encoded here: the codec only decodes requests.
    static func describe(_ dn: String, _ text: String, id: Int) -> [UInt8] {
        let modification = tlv(0x30, tlv(0x04, Array("description".utf8)) + tlv(0x31, tlv(0x04, Array(text.utf8))))
        let change = tlv(0x30, tlv(0x0A, [2]) + modification)
        let request = tlv(0x66, tlv(0x04, Array(dn.utf8)) + tlv(0x30, change))
        return tlv(0x30, tlv(0x02, [UInt8(id)]) + request)
    }

    static func modifyResults(_ client: RawLDAPClient, count: Int) async throws -> [LDAPResultCode] {
        var codes: [LDAPResultCode] = []
        for _ in 0..<count {
            // Before the fix, a refused write waited for the gate: this receive timed out.
            guard case .modifyResponse(let result) = try #require(try await client.receive()).operation else {
                throw EmbeddedSlapdTestError("expected a modify response")
            }
            codes.append(result.code)
        }
        return codes
    }

    @Test("a person's pipelined refused Modifies are all answered while the write gate is held by someone else: 50 on its own entry (R8 allow-list), 32 on a colleague out of its sight")
    func refusedBeforeQueueing() async throws {
        try await TestServer.with { server in
            let layout = server.directory.layout
            let convention = "cn=CONV-0606-001,cn=PART0606,\(layout.partners)"
            let holder = GateHolder()
            let held = holder.hold(server.habilitations.writeGate)
            #expect(await TestServer.eventually { holder.isHolding })
            let person = try await Self.bound(server, layout.user("XXX0606XX06"))
            _ = convention
            let targets = [layout.user("XXX0606XX06"), layout.user("XXX0606XX07")]
            for id in 2..<34 {
                try await person.send(Self.describe(targets[id % 2], "pris", id: id) as [UInt8])
            }
            let codes = try await Self.modifyResults(person, count: 32)
            #expect(codes.filter { $0 == .insufficientAccessRights }.count == 16, "\(codes)")
            #expect(codes.filter { $0 == .noSuchObject }.count == 16, "\(codes)")
            #expect(server.habilitations.writeGate.waiting == 0)
            holder.release()
            try await held.value
        }
    }

    @Test("one identity has at most 8 writes waiting; more are answered busy (51) at once; the waiting ones then succeed")
    func queuedPerIdentity() async throws {
        try await TestServer.with { server in
            let layout = server.directory.layout
            let group = "cn=T1,cn=CONV-0606-001,cn=PART0606,\(layout.partners)"
            let holder = GateHolder()
            let held = holder.hold(server.habilitations.writeGate)
            #expect(await TestServer.eventually { holder.isHolding })
            let administrator = try await Self.bound(server, layout.user(DemoDirectory.administratorIdentifier))
            for id in 2..<14 {
                try await administrator.send(Self.describe(group, "version \(id)", id: id) as [UInt8])
            }
            // The four over the bound are answered while the gate is still held.
            let refused = try await Self.modifyResults(administrator, count: 4)
            #expect(refused == Array(repeating: .busy, count: 4))
            #expect(server.habilitations.writeGate.waiting == 8)
            holder.release()
            try await held.value
            let accepted = try await Self.modifyResults(administrator, count: 8)
            #expect(accepted == Array(repeating: .success, count: 8))
        }
    }
}

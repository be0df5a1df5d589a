import AnnuaireTestSupport
import Foundation
import Habilitations
import NIOConcurrencyHelpers
import Testing

/// R6: a mail job is on disk before it is tried, so a crash between the
/// request and the delivery loses nothing; it leaves once delivered.
@Suite("Mail outbox (R6)")
struct MailOutboxTests {
    static func jobs(in folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
    }

    @Test("a job is written before it is tried and removed once delivered; one that fails stays, and a new outbox on the same folder (a restart) delivers it once")
    func persistedBeforeSending() async throws {
        let folder = URL(fileURLWithPath: try TestDirectory.makeTemporaryFolder("outbox"))
        defer { try? FileManager.default.removeItem(at: folder) }
        let outbox = try MailOutbox(folder: folder)
        let seenDuringSend = NIOLockedValueBox<[String]>([])
        let delivered = await outbox.submit(.identifier(dn: "uid=A,ou=people"), now: Date()) { _ in
            seenDuringSend.withLockedValue { $0 = (try? Self.jobs(in: folder)) ?? [] }
        }
        #expect(delivered)
        #expect(seenDuringSend.withLockedValue { $0 }.count == 1, "the job was not on disk while it was being sent")
        #expect(try Self.jobs(in: folder).isEmpty)

        struct Down: Error {}
        let now = Date()
        let failed = await outbox.submit(.temporaryPassword(dn: "uid=B,ou=people"), now: now) { _ in throw Down() }
        #expect(!failed)
        let left = try Self.jobs(in: folder)
        #expect(left.count == 1)
        let text = try String(contentsOf: folder.appendingPathComponent(try #require(left.first)), encoding: .utf8)
        #expect(text.contains("uid=B,ou=people"))

        // The process restarts: a new outbox on the folder delivers the job when it is due, once.
        let restarted = try MailOutbox(folder: folder)
        let sent = NIOLockedValueBox<[MailOutbox.Job]>([])
        #expect(await restarted.drain(now: now) { job in sent.withLockedValue { $0.append(job) } } == 0)
        #expect(await restarted.drain(now: now.addingTimeInterval(31)) { job in sent.withLockedValue { $0.append(job) } } == 1)
        #expect(await restarted.drain(now: now.addingTimeInterval(3600)) { job in sent.withLockedValue { $0.append(job) } } == 0)
        #expect(sent.withLockedValue { $0 } == [.temporaryPassword(dn: "uid=B,ou=people")])
        #expect(try Self.jobs(in: folder).isEmpty)
    }
}

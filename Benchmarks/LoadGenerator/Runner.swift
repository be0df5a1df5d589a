import Foundation
import Glibc
import Histogram
import LDAPProtocol

/// One side of the comparison: where to connect and as whom.
struct Target: Sendable {
    enum Identity: Sendable {
        case simple(dn: String, password: String)
        case saslExternal
        var description: String {
            switch self {
            case .simple(let dn, _): return "simple bind \(dn)"
            case .saslExternal: return "SASL EXTERNAL (peercred root DN)"
            }
        }
    }
    var name: String
    /// Where searches, paged listings and writes go, bound as `identity`.
    var dataURL: String
    var identity: Identity
    /// Where user binds and connect+bind+unbind go.
    var bindURL: String
    var pid: Int32?

    func openData() throws -> LDAPClient {
        let client = try LDAPClient(url: dataURL)
        let result: LDAPResult
        switch identity {
        case .simple(let dn, let password): result = try client.bindSimple(dn: dn, password: password)
        case .saslExternal: result = try client.bindSASLExternal()
        }
        guard result.code == .success else { throw BenchError("\(name): bind for data failed: \(result.code) \(result.diagnosticMessage)") }
        return client
    }
}

struct Scenario: Sendable {
    var name: String
    var connections: Int
    /// Sets up one connection's state; returns the operation to repeat (throws on a failed operation).
    var makeWorker: @Sendable (_ target: Target, _ dataset: Dataset, _ thread: Int) throws -> (inout SplitMix) throws -> Void
}

struct Measurement: Sendable {
    var operations: Int
    var errors: Int
    var seconds: Double
    var histogram: Histogram<UInt64>
    var firstError: String?
    var loadAverage: String
    var opsPerSecond: Double { seconds > 0 ? Double(operations) / seconds : 0 }
    /// Latency percentiles in milliseconds.
    func percentile(_ p: Double) -> Double { Double(histogram.valueAtPercentile(p)) / 1000 }
}

/// Threads, one per connection, started together; each repeats its
/// operation until the deadline or its share of `maxOperations`.
final class ThreadResults: @unchecked Sendable {
    private let lock = NSLock()
    private var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    private var operations = 0
    private var errors = 0
    private var firstError: String?
    private var finished = 0
    private var lastEnd: UInt64 = 0

    func add(_ h: Histogram<UInt64>, operations: Int, errors: Int, error: String?, end: UInt64) {
        lock.lock()
        histogram.add(h)
        self.operations += operations
        self.errors += errors
        if firstError == nil { firstError = error }
        finished += 1
        lastEnd = max(lastEnd, end)
        lock.unlock()
    }
    func snapshot() -> (Histogram<UInt64>, Int, Int, String?, Int, UInt64) {
        lock.lock(); defer { lock.unlock() }
        return (histogram, operations, errors, firstError, finished, lastEnd)
    }
}

func nowMicros() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000 + UInt64(ts.tv_nsec) / 1000
}

func loadAverage() -> String {
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
}

func run(_ scenario: Scenario, on target: Target, dataset: Dataset, duration: Double, maxOperations: Int, seed: UInt64) -> Measurement {
    let results = ThreadResults()
    let ready = DispatchSemaphore(value: 0)
    let go = DispatchGroup()
    go.enter()
    let setupFailures = NSLock()
    nonisolated(unsafe) var setupError: String?
    let perThread = max(1, maxOperations / scenario.connections)
    let startBox = StartBox()
    for t in 0..<scenario.connections {
        let thread = Thread {
            var random = SplitMix(seed: seed &+ UInt64(t) &* 7919)
            var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
            var operation: ((inout SplitMix) throws -> Void)?
            do {
                operation = try scenario.makeWorker(target, dataset, t)
            } catch {
                setupFailures.lock(); if setupError == nil { setupError = "\(error)" }; setupFailures.unlock()
            }
            ready.signal()
            go.wait()
            let deadline = startBox.start + UInt64(duration * 1_000_000)
            var done = 0, errors = 0
            var firstError: String?
            var end = nowMicros()
            if let operation {
                while done < perThread {
                    let before = nowMicros()
                    if before >= deadline { break }
                    do {
                        try operation(&random)
                    } catch {
                        errors += 1
                        if firstError == nil { firstError = "\(error)" }
                        if errors > 100 { break }
                    }
                    end = nowMicros()
                    _ = histogram.record(end - before)
                    done += 1
                }
            }
            results.add(histogram, operations: done, errors: errors, error: firstError, end: end)
        }
        thread.stackSize = 1 << 20
        thread.start()
    }
    for _ in 0..<scenario.connections { ready.wait() }
    let load = loadAverage()
    startBox.start = nowMicros()
    go.leave()
    while results.snapshot().4 < scenario.connections { usleep(2000) }
    let (histogram, operations, errors, firstError, _, lastEnd) = results.snapshot()
    let seconds = Double(lastEnd - startBox.start) / 1_000_000
    return Measurement(operations: operations - errors, errors: errors, seconds: seconds, histogram: histogram,
                       firstError: setupError ?? firstError, loadAverage: load)
}

final class StartBox: @unchecked Sendable {
    var start: UInt64 = 0
}

/// Resident memory of a process from /proc: (VmRSS, VmHWM) in MiB.
func memory(of pid: Int32?) -> (rss: Double, peak: Double)? {
    guard let pid, let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
    func field(_ name: String) -> Double? {
        for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count >= 2, let kb = Double(parts[1]) { return kb / 1024 }
        }
        return nil
    }
    guard let rss = field("VmRSS"), let peak = field("VmHWM") else { return nil }
    return (rss, peak)
}

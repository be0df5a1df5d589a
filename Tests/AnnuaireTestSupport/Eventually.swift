/// Waits for something the server does a moment after the test's last step
/// (a restart, a session ending, a log line written after its answer): checks
/// `condition` every 50 ms, up to a generous bound, so that a loaded machine
/// does not fail a test that a fixed short wait would. Returns whether the
/// condition held; the test then asserts what it expects, as strictly as before.
@discardableResult
public func eventually(
    within bound: Duration = .seconds(60), every interval: Duration = .milliseconds(50), _ condition: () async throws -> Bool
) async throws -> Bool {
    let deadline = ContinuousClock.now + bound
    while true {
        if try await condition() { return true }
        if ContinuousClock.now >= deadline { return false }
        try await Task.sleep(for: interval)
    }
}

import CMalloc
import Foundation

/// How many malloc arenas the server's threads share. glibc gives threads up to eight arenas per
/// core, each keeping its own freed memory: a server whose event loops, task pool and blocking
/// pool all allocate ends up with many half-empty arenas. Two keep 1,000 idle connections under
/// 80 MB (measured in `Benchmarks/side-by-side.sh`, issue #18) at no measurable cost in speed
/// on two cores. `MALLOC_ARENA_MAX` in the environment still decides when it is set.
enum MallocArenas {
    static let count: Int32 = 2

    /// Limits the arenas; call before the server starts its threads.
    static func limit(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard environment["MALLOC_ARENA_MAX"] == nil else { return }
        _ = mallopt(M_ARENA_MAX, count)
    }
}

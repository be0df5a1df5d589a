import AnnuaireTestSupport
import Testing

/// The test helper that runs client programs: it must not hang on a child
/// that writes much to stderr, or reads much input, before anything else.
@Suite("CommandLineTool: pipes drained together")
struct CommandLineToolTests {
    @Test("a child reading 1 MiB of input, then writing 1 MiB to stderr before stdout, is run to the end with everything captured")
    func fullPipes() async throws {
        let size = 1 << 20
        // `timeout -s KILL` bounds a hang (the child is killed, stderr comes back short) so that it fails instead of blocking
        // the suite; SIGKILL because timeout's default SIGTERM was seen not to end the child under the test runner.
        let script = "import sys; data = sys.stdin.read(); sys.stderr.write('e' * \(size)); sys.stderr.flush(); print(len(data))"
        let result = try await CommandLineTool.run("timeout", ["-s", "KILL", "180", "python3", "-c", script], input: String(repeating: "i", count: size))
        #expect(result.status == 0, "exit status \(result.status)")
        #expect(result.output == "\(size)\n")
        #expect(result.error.utf8.count == size)
    }
}

import Foundation

/// Where a command writes its text: the terminal's standard streams, or a
/// buffer that tests read back.
public protocol OutputSink: Sendable {
    func write(_ text: String)
}

/// Standard output or standard error of the process.
public struct StandardStreamSink: OutputSink {
    private let isError: Bool

    public static let output = StandardStreamSink(isError: false)
    public static let error = StandardStreamSink(isError: true)

    private init(isError: Bool) { self.isError = isError }

    public func write(_ text: String) {
        (isError ? FileHandle.standardError : FileHandle.standardOutput).write(Data(text.utf8))
    }
}

/// An in-memory sink: what was written, in order (thread-safe).
public final class CapturedOutput: OutputSink, @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = ""

    public init() {}

    public func write(_ text: String) {
        lock.lock()
        buffer += text
        lock.unlock()
    }

    /// Everything written so far.
    public var text: String {
        lock.lock()
        defer { lock.unlock() }
        return buffer
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a password from the controlling terminal with echo off
/// (getpass(3) on glibc, readpassphrase(3) on Darwin). Never echoed, never logged.
enum TerminalPassword {
    /// Whether the file descriptor is a terminal.
    static func isTerminal(_ descriptor: Int32) -> Bool { isatty(descriptor) != 0 }

    static func read(prompt: String) -> String? {
        guard isatty(STDIN_FILENO) != 0 else { return nil }
        #if canImport(Glibc)
        guard let pointer = getpass(prompt) else { return nil }
        let password = String(cString: pointer)
        // getpass returns a static buffer: wipe it.
        memset(pointer, 0, strlen(pointer))
        return password
        #elseif canImport(Darwin)
        var buffer = [CChar](repeating: 0, count: 1024)
        guard readpassphrase(prompt, &buffer, buffer.count, RPP_REQUIRE_TTY) != nil else { return nil }
        defer { for index in buffer.indices { buffer[index] = 0 } }
        return String(cString: buffer)
        #else
        return nil
        #endif
    }
}

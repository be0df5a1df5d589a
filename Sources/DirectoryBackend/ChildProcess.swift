import Glibc

/// A child process started with `posix_spawn` in its own process group, so
/// that a Ctrl-C typed at Annuaire's terminal reaches Annuaire alone and
/// Annuaire decides when its slapd stops. Output goes to a log file.
struct ChildProcess: Sendable {
    let pid: pid_t

    /// Starts `executable` with `arguments`, stdin from /dev/null, stdout and stderr appended to `logPath`.
    static func spawn(_ executable: String, _ arguments: [String], logPath: String) throws -> ChildProcess {
        var fileActions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fileActions)
        defer { posix_spawn_file_actions_destroy(&fileActions) }
        posix_spawn_file_actions_addopen(&fileActions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&fileActions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&fileActions, 1, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaultSignals = sigset_t()
        sigemptyset(&defaultSignals)
        sigaddset(&defaultSignals, SIGINT)
        sigaddset(&defaultSignals, SIGTERM)
        sigaddset(&defaultSignals, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &fileActions, &attributes, argv, environ)
        guard rc == 0 else {
            throw EmbeddedSlapdError("cannot start \(executable): \(String(cString: strerror(rc)))")
        }
        return ChildProcess(pid: pid)
    }

    /// Blocks until the process ends; returns its exit status (128+signal when killed).
    func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return -1 }
        }
        if status & 0x7F == 0 { return (status >> 8) & 0xFF }  // WIFEXITED → WEXITSTATUS
        return 128 + (status & 0x7F)                            // WTERMSIG
    }

    /// Whether the process has ended (reaping it if so), without blocking.
    func hasExited() -> Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == pid
    }

    func signal(_ signal: Int32) {
        kill(pid, signal)
    }

    /// Runs a command to completion; throws with the log's tail when it fails.
    static func run(_ executable: String, _ arguments: [String], logPath: String) throws {
        let status = try spawn(executable, arguments, logPath: logPath).wait()
        guard status == 0 else {
            throw EmbeddedSlapdError(
                "\(executable.split(separator: "/").last.map(String.init) ?? executable) failed (exit status \(status)): \(LogFile.tail(logPath))")
        }
    }
}

/// Reads the end of a log file for error messages.
enum LogFile {
    static func tail(_ path: String, bytes: Int = 600) -> String {
        guard let file = fopen(path, "r") else { return "(no log)" }
        defer { fclose(file) }
        fseek(file, 0, SEEK_END)
        let size = ftell(file)
        let start = max(0, size - bytes)
        fseek(file, start, SEEK_SET)
        var buffer = [UInt8](repeating: 0, count: Int(size - start))
        let count = fread(&buffer, 1, buffer.count, file)
        return String(decoding: buffer.prefix(count), as: UTF8.self)
            .split(separator: "\n").suffix(6).joined(separator: " | ")
    }
}


import NIOPosix

/// The threads the portal's blocking libldap calls run on (issue #17, item 5:
/// 10 sessions at once). Each call holds its thread while it waits for the
/// server's answer, so the pool is sized for waiting, not for the cores: on
/// NIO's shared blocking pool (one thread per core) two sessions waiting on
/// the directory would hold back every other session's page.
enum DirectoryThreads {
    /// Threads for calls in progress at once (logins, recovery requests and sessions' pages together).
    static let count = 64

    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: count)
        pool.start()
        return pool
    }()
}

import Foundation

/// Local file checks (readable CA certificate, password file).
enum FileChecks {
    static func isReadable(_ path: String) -> Bool {
        FileManager.default.isReadableFile(atPath: path)
    }
}

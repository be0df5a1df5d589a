public import Foundation

/// The Annuaire version that last started on a data folder, in
/// `<data-dir>/annuaire-version`. A start by an older version than the one
/// recorded is refused (a downgrade: the newer version may have changed the
/// schema, the indexes or the tree in ways the older one does not know);
/// a start by the same or a newer version records itself, after the
/// folder was upgraded. A folder without the file predates it (0.1.0).
public enum DataFolderVersion {
    public static let fileName = "annuaire-version"

    public static func recorded(in root: URL) -> String? {
        (try? String(contentsOf: root.appendingPathComponent(fileName), encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public static func record(_ version: String, in root: URL) throws {
        try Data("\(version)\n".utf8).write(to: root.appendingPathComponent(fileName), options: .atomic)
    }

    /// Throws when the folder was last used by a newer version than `current`.
    public static func refuseDowngrade(of root: URL, to current: String) throws {
        guard let recorded = recorded(in: root), compare(recorded, current) == .orderedDescending else { return }
        throw BackupError(
            "the data folder \(root.path) was last used by Annuaire \(recorded), newer than this one (\(current)): a downgrade is refused, since \(recorded) may have changed its schema or tree; run Annuaire \(recorded) or later, or restore a backup made by \(current) into a new folder")
    }

    /// Compares dotted versions numerically (`0.10.0` > `0.9.1`); a pre-release suffix (`-rc1`) is ignored.
    public static func compare(_ left: String, _ right: String) -> ComparisonResult {
        func parts(_ version: String) -> [Int] {
            let core = version.split(separator: "-", maxSplits: 1).first ?? ""
            return core.split(separator: ".").map { Int($0) ?? 0 }
        }
        let (a, b) = (parts(left), parts(right))
        for index in 0..<max(a.count, b.count) {
            let (x, y) = (index < a.count ? a[index] : 0, index < b.count ? b[index] : 0)
            if x != y { return x < y ? .orderedAscending : .orderedDescending }
        }
        return .orderedSame
    }
}

import Foundation
import Messages

/// The columns an import reads, found by their header whatever its case,
/// accents or spacing: the export's keys (`lastName`) or the portal's
/// labels (`Nom`). An unknown column or a missing required one is a usage
/// error naming the accepted columns.
struct ImportColumns {
    /// One column: its key (as `export` writes it), the other headers that name it, and whether a file must have it.
    struct Column {
        var key: String
        var aliases: [String]
        var isRequired: Bool

        init(_ key: String, _ aliases: [String] = [], required: Bool = false) {
            self.key = key
            self.aliases = aliases
            isRequired = required
        }
    }

    private var indexes: [String: Int] = [:]

    /// Maps `header` onto `columns`; `ignored` are accepted and not read (such as `status`).
    /// `provided` are required keys a flag supplies when the file lacks them.
    init(header: [String], columns: [Column], ignored: [String] = [], provided: Set<String> = [], file: String) throws {
        var byName: [String: String] = [:]
        for column in columns {
            for name in [column.key] + column.aliases { byName[Self.normalized(name)] = column.key }
        }
        let ignoredNames = Set(ignored.map(Self.normalized))
        for (index, name) in header.enumerated() {
            let normal = Self.normalized(name)
            if let key = byName[normal] {
                guard indexes[key] == nil else { throw CLIError.usage(CLIContext.texts(.errorColumnTwice, ("file", file), ("column", key))) }
                indexes[key] = index
            } else if !ignoredNames.contains(normal) {
                let accepted = columns.map(\.key) + ignored
                throw CLIError.usage(CLIContext.texts(.errorUnknownColumn, ("file", file), ("column", name), ("columns", accepted.joined(separator: ", "))))
            }
        }
        let missing = columns.filter { $0.isRequired && indexes[$0.key] == nil && !provided.contains($0.key) }.map(\.key)
        if !missing.isEmpty {
            throw CLIError.usage(CLIContext.texts(.errorMissingColumns, ("file", file), ("columns", missing.joined(separator: ", "))))
        }
    }

    func has(_ key: String) -> Bool { indexes[key] != nil }

    /// The trimmed value of `key` in `row`; nil when the column is absent or the cell empty.
    func value(_ key: String, in row: CSVTable.Row) -> String? {
        guard let index = indexes[key], index < row.fields.count else { return nil }
        let value = row.fields[index].trimmingCharacters(in: .whitespaces)
        return value.isEmpty ? nil : value
    }

    /// `Date d'ouverture` → `datedouverture`: lower case, no accents, letters and digits only.
    static func normalized(_ name: String) -> String {
        name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).filter { $0.isLetter || $0.isNumber }
    }
}

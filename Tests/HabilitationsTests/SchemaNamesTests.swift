import AnnuaireTestSupport
import Foundation
import Habilitations
import Testing

/// The names the rules use for the schema's attribute types and object
/// classes are those `Schema/annuaire.ldif` declares, every one of them.
@Suite("Schema names and statuses")
struct SchemaNamesTests {
    /// The `NAME`s the schema file gives to its `kind` (olcAttributeTypes or olcObjectClasses), first name only.
    static func declared(_ kind: String) throws -> Set<String> {
        let text = try String(contentsOf: TestDirectory.resources.projectSchema, encoding: .utf8)
        let unfolded = text.replacingOccurrences(of: "\n ", with: "")
        var names: Set<String> = []
        for line in unfolded.split(separator: "\n") where line.hasPrefix("\(kind):") {
            guard let range = line.range(of: "NAME '") else { continue }
            names.insert(String(line[range.upperBound...].prefix { $0 != "'" }))
        }
        return names
    }

    @Test("AttributeName lists exactly the ann* attribute types of the schema, spelled as it spells them")
    func attributeNames() throws {
        let schema = try Self.declared("olcAttributeTypes").filter { $0.hasPrefix("ann") }
        #expect(schema.count > 20, "\(schema)")
        #expect(Set(AttributeName.all) == schema, "missing: \(schema.subtracting(AttributeName.all)); unknown: \(Set(AttributeName.all).subtracting(schema))")
        #expect(AttributeName.all.count == Set(AttributeName.all).count, "a name is listed twice")
    }

    @Test("ObjectClassName lists exactly the object classes of the schema")
    func objectClassNames() throws {
        let schema = try Self.declared("olcObjectClasses")
        #expect(Set(ObjectClassName.all) == schema, "missing: \(schema.subtracting(ObjectClassName.all)); unknown: \(Set(ObjectClassName.all).subtracting(schema))")
    }

    @Test("R7: the status follows the dates: pending before the open date, open from it, closed from the close date")
    func status() throws {
        let validity = Validity(open: Date(timeIntervalSince1970: 1000), close: Date(timeIntervalSince1970: 2000))
        #expect(validity.status(at: Date(timeIntervalSince1970: 999)) == .pending)
        #expect(validity.status(at: Date(timeIntervalSince1970: 1000)) == .open)
        #expect(validity.status(at: Date(timeIntervalSince1970: 2000)) == .closed)
        #expect(EntryStatus.allCases.map(\.rawValue) == ["open", "pending", "closed"], "the values stored in annStatus")
    }
}

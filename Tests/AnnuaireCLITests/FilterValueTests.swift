import AnnuaireTestSupport
import Testing

/// The CLI's search options put what people type into filters (RFC 4515): a
/// typed `*`, `(`, `)` or `\` is a character to look for, never filter syntax.
@Suite("CLI: typed values stay values in filters")
struct FilterValueTests {
    @Test("user list --last-name / --identifier / group list --code with * ( ) \\ match those characters literally (none here), not every entry")
    func metacharactersAreLiteral() async throws {
        try await InMemoryServer.with { (server: InMemoryServer) async throws in
            let cli = CLI(server)
            // The control: a real prefix finds its person.
            let dupuis = await cli("user", "list", "--last-name", "DUP", "--format", "csv", "--csv-style", "rfc4180")
            #expect(dupuis.status == 0, "\(dupuis.error)")
            let found = CSVReader.records(dupuis.output).compactMap { $0["lastName"] }
            #expect(found.contains("DUPUIS") && found.allSatisfy { $0.hasPrefix("DUP") }, "\(found)")
            let everyone = await cli("user", "list", "--format", "csv", "--csv-style", "rfc4180")
            #expect(CSVReader.records(everyone.output).count > 2)

            for typed in ["*", "D*", "*)(uid=*", #"\2a"#, "(", ")"] {
                let users = await cli("user", "list", "--last-name", typed, "--format", "csv", "--csv-style", "rfc4180")
                #expect(users.status == 0, "--last-name \(typed): \(users.error)")
                #expect(CSVReader.records(users.output).isEmpty, "--last-name \(typed) matched: \(users.output)")
                let byIdentifier = await cli("user", "list", "--identifier", typed, "--format", "csv", "--csv-style", "rfc4180")
                #expect(byIdentifier.status == 0, "--identifier \(typed): \(byIdentifier.error)")
                #expect(CSVReader.records(byIdentifier.output).isEmpty, "--identifier \(typed) matched: \(byIdentifier.output)")
                let groups = await cli("group", "list", "--code", typed, "--format", "csv", "--csv-style", "rfc4180")
                #expect(groups.status == 0, "--code \(typed): \(groups.error)")
                #expect(CSVReader.records(groups.output).isEmpty, "--code \(typed) matched: \(groups.output)")
            }
        }
    }
}

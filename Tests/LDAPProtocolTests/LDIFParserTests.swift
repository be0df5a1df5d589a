import Foundation
import LDAPProtocol
import Testing

@Suite("LDIF parser")
struct LDIFParserTests {
    static let sample = """
        version: 1
        # Comment lines are skipped,
         even when folded.
        dn: uid=ndupont,ou=people,dc=example,dc=org
        changetype: add
        objectClass: inetOrgPerson
        objectClass: person
        cn:: Tm/DqW1pZSBEdXBvbnQ=
        sn: Dupont
        description: a folded
          value spread over
          three lines
        mail:nd@example.org
        photo:: AAH/

        dn: uid=plain,dc=example,dc=org
        objectClass: account
        OBJECTCLASS: top
        uid: plain

        # a modify with every operation
        dn: uid=ndupont,ou=people,dc=example,dc=org
        changetype: modify
        add: mail
        mail: n.dupont@example.org
        mail: nd2@example.org
        -
        replace: sn
        sn: Dupont-Martin
        -
        delete: telephoneNumber
        -
        delete: mail
        mail: old@example.org
        -
        increment: uidNumber
        uidNumber: 1
        -

        dn:: dWlkPW5vw6ltaWUsZGM9ZXhhbXBsZSxkYz1vcmc=
        changetype: delete

        """

    static let expected: [LDIFRecord] = [
        .add(
            dn: "uid=ndupont,ou=people,dc=example,dc=org",
            attributes: [
                PartialAttribute(type: "objectClass", strings: ["inetOrgPerson", "person"]),
                PartialAttribute(type: "cn", strings: ["Noémie Dupont"]),
                PartialAttribute(type: "sn", strings: ["Dupont"]),
                PartialAttribute(type: "description", strings: ["a folded value spread over three lines"]),
                PartialAttribute(type: "mail", strings: ["nd@example.org"]),
                PartialAttribute(type: "photo", values: [[0x00, 0x01, 0xff]]),
            ]
        ),
        .add(
            dn: "uid=plain,dc=example,dc=org",
            attributes: [
                PartialAttribute(type: "objectClass", strings: ["account", "top"]),
                PartialAttribute(type: "uid", strings: ["plain"]),
            ]
        ),
        .modify(
            dn: "uid=ndupont,ou=people,dc=example,dc=org",
            changes: [
                .init(operation: .add, modification: PartialAttribute(type: "mail", strings: ["n.dupont@example.org", "nd2@example.org"])),
                .init(operation: .replace, modification: PartialAttribute(type: "sn", strings: ["Dupont-Martin"])),
                .init(operation: .delete, modification: PartialAttribute(type: "telephoneNumber", values: [])),
                .init(operation: .delete, modification: PartialAttribute(type: "mail", strings: ["old@example.org"])),
                .init(operation: .increment, modification: PartialAttribute(type: "uidNumber", strings: ["1"])),
            ]
        ),
        .delete(dn: "uid=noémie,dc=example,dc=org"),
    ]

    @Test("folded lines, comments, base64 values, version and every changetype parse")
    func parsesSample() throws {
        let records = try LDIFParser.parse(Self.sample)
        #expect(records.count == 4)
        #expect(records == Self.expected)
        #expect(records.map(\.dn) == Self.expected.map(\.dn))
    }

    @Test("the same LDIF with CRLF line endings parses to the same records")
    func crlfLineEndings() throws {
        let crlf = Self.sample.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(crlf.utf8.count == Self.sample.utf8.count + Self.sample.filter { $0 == "\n" }.count)
        let records = try LDIFParser.parse(crlf)
        #expect(records == Self.expected)
    }

    @Test("a record without changetype is an add, and an empty text has no record")
    func defaultsToAdd() throws {
        #expect(
            try LDIFParser.parse("dn: ou=people,dc=x\nobjectClass: organizationalUnit\nou: people\n")
                == [.add(dn: "ou=people,dc=x", attributes: [
                    PartialAttribute(type: "objectClass", strings: ["organizationalUnit"]),
                    PartialAttribute(type: "ou", strings: ["people"]),
                ])]
        )
        #expect(try LDIFParser.parse("").isEmpty)
        #expect(try LDIFParser.parse("# only a comment\n\n\n").isEmpty)
    }

    @Test("changetype values are case-insensitive and a modify may omit its last \"-\"")
    func changetypeCase() throws {
        let records = try LDIFParser.parse("dn: cn=a,dc=x\nchangetype: Modify\nreplace: cn\ncn: b\n\ndn: cn=b,dc=x\nchangetype: DELETE\n")
        #expect(
            records == [
                .modify(dn: "cn=a,dc=x", changes: [.init(operation: .replace, modification: PartialAttribute(type: "cn", strings: ["b"]))]),
                .delete(dn: "cn=b,dc=x"),
            ]
        )
    }

    @Test("version: 1 on its own, followed by a blank line, as RFC 2849's 1*SEP allows")
    func versionFollowedByBlankLine() throws {
        let records = try LDIFParser.parse("version: 1\n\ndn: cn=a,dc=x\ncn: a\n")
        #expect(records == [.add(dn: "cn=a,dc=x", attributes: [PartialAttribute(type: "cn", strings: ["a"])])])
    }

    static func error(_ text: String) -> LDIFError? {
        #expect(throws: LDIFError.self) { try LDIFParser.parse(text) }
    }

    @Test("a line without a colon fails with its line number")
    func missingColon() {
        let error = Self.error("# header\n\ndn: cn=a,dc=x\ncn: a\n\ndn: cn=b,dc=x\ncn: b\nbroken line\n")
        #expect(error?.line == 8)
        #expect(error?.description.hasPrefix("LDIF line 8:") == true)
    }

    @Test("line numbers count physical lines, folded continuations included")
    func lineNumbersAfterFolding() {
        let error = Self.error("dn: cn=a,\n dc=x\ndescription: one\n two\n three\noops\n")
        #expect(error?.line == 6)
    }

    @Test("invalid base64 fails with its line number and the attribute name")
    func badBase64() {
        let error = Self.error("dn: cn=a,dc=x\nchangetype: add\ncn: a\njpegPhoto:: !!!not base64!!!\n")
        #expect(error?.line == 4)
        #expect(error?.reason.contains("jpegPhoto") == true)
    }

    @Test("a :< URL value is refused with its line number")
    func urlValue() {
        let error = Self.error("dn: cn=a,dc=x\ncn: a\n\ndn: cn=b,dc=x\njpegPhoto:< file:///tmp/photo.jpg\n")
        #expect(error?.line == 5)
        #expect(error?.reason.contains(":<") == true)
    }

    @Test("an unsupported changetype is refused")
    func unsupportedChangetype() {
        let error = Self.error("dn: cn=a,dc=x\ncn: a\n\ndn: cn=b,dc=x\nchangetype: modrdn\nnewrdn: cn=c\ndeleteoldrdn: 1\n")
        #expect(error?.reason.contains("modrdn") == true)
        #expect(error?.line == 5)
    }

    @Test("structural errors in modify and add records carry their line numbers")
    func structuralErrors() {
        // A value of another attribute inside a modify block.
        #expect(Self.error("dn: cn=a,dc=x\nchangetype: modify\nreplace: sn\nsn: b\ncn: c\n-\n")?.line == 5)
        // An unknown modify operation.
        #expect(Self.error("dn: cn=a,dc=x\nchangetype: modify\nrename: sn\n")?.line == 3)
        // A "-" in an add record.
        #expect(Self.error("dn: cn=a,dc=x\ncn: a\n-\n")?.line == 3)
        // A record that does not begin with dn:.
        #expect(Self.error("dn: cn=a,dc=x\ncn: a\n\n\ncn: b\ndn: cn=b,dc=x\n")?.line == 5)
    }

    // MARK: - Fixtures/demo.ldif

    static func demoRecords() throws -> [LDIFRecord] {
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // LDAPProtocolTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // the package
        let template = try String(contentsOf: root.appendingPathComponent("Fixtures/demo.ldif"), encoding: .utf8)
        #expect(template.contains("{{SUFFIX}}"))
        return try LDIFParser.parse(template.replacingOccurrences(of: "{{SUFFIX}}", with: "dc=annuaire,dc=local"))
    }

    @Test("Fixtures/demo.ldif parses into 31 records with the suffix substituted")
    func demoFixtureParses() throws {
        let records = try Self.demoRecords()
        #expect(records.count == 31)
        #expect(records.allSatisfy { $0.dn.hasSuffix(",dc=annuaire,dc=local") })
        #expect(records.dropLast().allSatisfy { if case .add = $0 { true } else { false } })
        for case .add(let dn, let attributes) in records {
            #expect(attributes.contains { $0.type == "objectClass" && !$0.values.isEmpty }, "\(dn) has no objectClass")
            for attribute in attributes {
                #expect(!attribute.stringValues.contains { $0.contains("{{") }, "\(dn) \(attribute.type)")
            }
        }
        let afas = try #require(records.first { $0.dn == "cn=AFAS,ou=services,dc=annuaire,dc=local" })
        guard case .add(_, let attributes) = afas else {
            Issue.record("cn=AFAS is not an add")
            return
        }
        #expect(attributes.first { $0.type == "annLabel" }?.stringValues == ["Aide financière d'action sociale"])
    }

    @Test("in Fixtures/demo.ldif every parent is added before its children")
    func demoFixtureParentsFirst() throws {
        let records = try Self.demoRecords()
        let position = Dictionary(records.enumerated().map { ($1.dn.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        #expect(records.first?.dn == "cn=CDAP,ou=services,dc=annuaire,dc=local")
        #expect(records.dropFirst().first?.dn == "cn=T1,cn=CDAP,ou=services,dc=annuaire,dc=local")
        var parentsInFile = 0
        for (index, record) in records.enumerated() {
            guard let comma = record.dn.firstIndex(of: ",") else { continue }
            let parent = record.dn[record.dn.index(after: comma)...].lowercased()
            if let parentIndex = position[parent] {
                parentsInFile += 1
                #expect(parentIndex < index, "\(record.dn) comes before its parent")
            }
        }
        #expect(parentsInFile == 14)
    }

    @Test("Fixtures/demo.ldif ends with a modify of cn=identifiers,ou=counters")
    func demoFixtureLastRecord() throws {
        let last = try #require(try Self.demoRecords().last)
        #expect(
            last == .modify(
                dn: "cn=identifiers,ou=counters,dc=annuaire,dc=local",
                changes: [.init(operation: .replace, modification: PartialAttribute(type: "annIdentifierCounter", strings: ["11"]))]
            )
        )
    }
}

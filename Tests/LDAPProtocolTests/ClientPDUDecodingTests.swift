import LDAPProtocol
import Testing

/// Requests exactly as OpenLDAP's tools put them on the wire (see `CapturedPDU`).
@Suite("Decoding PDUs captured from ldap-utils")
struct ClientPDUDecodingTests {
    @Test("ldapsearch with an AND filter and two attributes decodes every field")
    func searchWithAndFilter() throws {
        let message = try decodeMessage(CapturedPDU.searchAndFilter)
        #expect(message.messageID == 2)
        #expect(message.controls.isEmpty)
        let request = try #require(message.operation.searchRequest)
        #expect(request.baseObject == "dc=example,dc=org")
        #expect(request.scope == .wholeSubtree)
        #expect(request.derefAliases == 0)
        #expect(request.sizeLimit == 0)
        #expect(request.timeLimit == 0)
        #expect(request.typesOnly == false)
        #expect(request.filter == .and([.equality("uid", "jdoe".bytes), .present("objectClass")]))
        #expect(request.attributes == ["cn", "mail"])
        #expect(try request.filter.rfc4515String() == "(&(uid=jdoe)(objectClass=*))")
    }

    @Test("ldapsearch -s base -z 10 -l 5 -A decodes scope, limits and typesOnly")
    func baseSearchWithLimits() throws {
        let message = try decodeMessage(CapturedPDU.baseSearchWithLimits)
        let request = try #require(message.operation.searchRequest)
        #expect(message.messageID == 2)
        #expect(request.baseObject == "dc=example,dc=org")
        #expect(request.scope == .baseObject)
        #expect(request.sizeLimit == 10)
        #expect(request.timeLimit == 5)
        #expect(request.typesOnly == true)
        #expect(request.filter == .present("objectClass"))
        #expect(request.attributes.isEmpty)
    }

    @Test("ldapsearch with one filter of every kind decodes to the same tree and renders back to its string")
    func searchWithEveryFilterKind() throws {
        let message = try decodeMessage(CapturedPDU.searchEveryFilterKind)
        let request = try #require(message.operation.searchRequest)
        #expect(message.messageID == 2)
        #expect(request.baseObject == "ou=people,dc=example,dc=org")
        #expect(request.scope == .singleLevel)
        #expect(request.attributes == ["cn"])
        let expected = SearchFilter.or([
            .substrings("cn", initial: "J".bytes, any: ["d".bytes], final: "e".bytes),
            .not(.approx("sn", "smith".bytes)),
            .greaterOrEqual("age", "21".bytes),
            .lessOrEqual("age", "65".bytes),
            .extensible(matchingRule: "caseExactMatch", type: "cn", value: "x".bytes, dnAttributes: true),
            .extensible(matchingRule: "2.5.13.5", type: nil, value: "y".bytes, dnAttributes: true),
        ])
        #expect(request.filter == expected)
        #expect(
            try request.filter.rfc4515String()
                == "(|(cn=J*d*e)(!(sn~=smith))(age>=21)(age<=65)(cn:dn:caseExactMatch:=x)(:dn:2.5.13.5:=y))"
        )
        #expect(request.filter.depth == 3)
        #expect(request.filter.attributeDescriptions == ["cn", "sn", "age"])
    }

    @Test("ldapwhoami -D -w sends a simple BindRequest with the DN and the password")
    func simpleBind() throws {
        let message = try decodeMessage(CapturedPDU.simpleBind)
        #expect(message.messageID == 1)
        #expect(message.controls.isEmpty)
        let request = try #require(message.operation.bindRequest)
        #expect(request.version == 3)
        #expect(request.name == "cn=admin,dc=example,dc=org")
        #expect(request.authentication == .simple(password: "secret".bytes))
        #expect(!request.description.contains("secret"))
        #expect(request.description.contains("<redacted>"))
    }

    @Test("an anonymous bind has an empty name and an empty simple password")
    func anonymousBind() throws {
        let message = try decodeMessage(CapturedPDU.anonymousBind)
        #expect(message.messageID == 1)
        let request = try #require(message.operation.bindRequest)
        #expect(request == BindRequest(version: 3, name: "", authentication: .simple(password: [])))
        #expect(request.description.contains("password: empty"))
    }

    @Test("ldapsearch -E pr=5/noprompt carries a non-critical paged results control")
    func pagedResultsControl() throws {
        let message = try decodeMessage(CapturedPDU.pagedSearch)
        #expect(message.messageID == 2)
        let request = try #require(message.operation.searchRequest)
        #expect(request.filter == .present("cn"))
        #expect(request.attributes.isEmpty)
        #expect(message.controls.count == 1)
        let control = try #require(message.control("1.2.840.113556.1.4.319"))
        #expect(control.criticality == false)
        // realSearchControlValue ::= SEQUENCE { size INTEGER (5), cookie OCTET STRING (empty) }
        #expect(control.value == [0x30, 0x05, 0x02, 0x01, 0x05, 0x04, 0x00])
        #expect(message.control("1.2.840.113556.1.4.473") == nil)
    }

    @Test("ldapsearch -E '!pr=5/noprompt' marks the paged results control critical")
    func criticalPagedResultsControl() throws {
        let message = try decodeMessage(CapturedPDU.pagedSearchCritical)
        #expect(
            message.controls == [
                LDAPControl(oid: "1.2.840.113556.1.4.319", criticality: true, value: [0x30, 0x05, 0x02, 0x01, 0x05, 0x04, 0x00])
            ]
        )
    }

    @Test("ldapexop whoami sends the Who am I? OID without a value")
    func whoAmIExtendedRequest() throws {
        let message = try decodeMessage(CapturedPDU.whoAmIExop)
        #expect(message.messageID == 2)
        let request = try #require(message.operation.extendedRequest)
        #expect(request.name == "1.3.6.1.4.1.4203.1.11.3")
        #expect(request.value == nil)
        let afterBind = try decodeMessage(CapturedPDU.whoAmIAfterBind)
        #expect(afterBind.operation == .extendedRequest(ExtendedRequest(name: "1.3.6.1.4.1.4203.1.11.3")))
    }

    @Test("ldapexop 1.2.3.4 sends an arbitrary extended operation OID")
    func customExtendedRequest() throws {
        let message = try decodeMessage(CapturedPDU.customExop)
        #expect(message == LDAPMessage(messageID: 2, operation: .extendedRequest(ExtendedRequest(name: "1.2.3.4"))))
    }

    @Test("the UnbindRequest decodes with its messageID")
    func unbind() throws {
        let message = try decodeMessage(CapturedPDU.unbind)
        #expect(message == LDAPMessage(messageID: 3, operation: .unbindRequest))
    }

    @Test("ldapmodify's add, delete and replace changes decode in order")
    func modify() throws {
        let message = try decodeMessage(CapturedPDU.modify)
        let request = try #require(message.operation.modifyRequest)
        #expect(request.object == "cn=x,dc=example,dc=org")
        #expect(
            request.changes == [
                .init(operation: .add, modification: PartialAttribute(type: "mail", strings: ["a@b.c", "d@e.f"])),
                .init(operation: .delete, modification: PartialAttribute(type: "sn", values: [])),
                .init(operation: .replace, modification: PartialAttribute(type: "cn", strings: ["X"])),
            ]
        )
    }

    @Test("ldapadd's entry keeps UTF-8 in its DN and values")
    func add() throws {
        let message = try decodeMessage(CapturedPDU.add)
        let request = try #require(message.operation.addRequest)
        #expect(request.entry == "cn=Noémie,dc=example,dc=org")
        #expect(
            request.attributes == [
                PartialAttribute(type: "objectClass", strings: ["person"]),
                PartialAttribute(type: "cn", values: [[0x4e, 0x6f, 0xc3, 0xa9, 0x6d, 0x69, 0x65]]),
                PartialAttribute(type: "sn", strings: ["N"]),
            ]
        )
    }

    @Test("ldapdelete, ldapcompare and ldapmodrdn requests decode")
    func deleteCompareModifyDN() throws {
        #expect(try decodeMessage(CapturedPDU.delete).operation == .deleteRequest("cn=x,dc=example,dc=org"))

        let compare = try #require(try decodeMessage(CapturedPDU.compare).operation.compareRequest)
        #expect(compare.entry == "cn=x,dc=example,dc=org")
        #expect(compare.attribute == "sn")
        #expect(compare.value == "N".bytes)

        let modifyDN = try #require(try decodeMessage(CapturedPDU.modifyDN).operation.modifyDNRequest)
        #expect(modifyDN.entry == "cn=x,dc=example,dc=org")
        #expect(modifyDN.newRDN == "cn=y")
        #expect(modifyDN.deleteOldRDN == true)
        #expect(modifyDN.newSuperior == "ou=new,dc=example,dc=org")
    }

    @Test(
        "re-encoding a decoded client request gives back the captured bytes",
        arguments: [
            ("anonymous bind", CapturedPDU.anonymousBind),
            ("simple bind", CapturedPDU.simpleBind),
            ("search", CapturedPDU.searchAndFilter),
            ("search with limits", CapturedPDU.baseSearchWithLimits),
            ("search with every filter kind", CapturedPDU.searchEveryFilterKind),
            ("paged search", CapturedPDU.pagedSearch),
            ("critical paged search", CapturedPDU.pagedSearchCritical),
            ("whoami", CapturedPDU.whoAmIExop),
            ("custom exop", CapturedPDU.customExop),
            ("delete", CapturedPDU.delete),
            ("unbind", CapturedPDU.unbind),
        ]
    )
    func reencodes(name: String, bytes: [UInt8]) throws {
        let reencoded = try decodeMessage(bytes).serializedBytes()
        #expect(reencoded == bytes, "\(name): \(hex(reencoded))")
    }
}

import Foundation
import Habilitations
import LDAPProtocol
import Messages
import Testing

/// The field rules, checked on entries in memory (pure: no slapd needed).
@Suite("Domain rules R2–R5 on entries")
struct DomainRulesTests {
    let layout = DirectoryLayout()
    var conventionDN: String { "cn=CONV-1,cn=PART,\(layout.partners)" }
    var profileT1: String { "cn=T1,cn=CDAP,\(layout.services)" }

    func snapshot(_ dn: String, _ attributes: [String: [String]]) -> EntrySnapshot {
        EntrySnapshot(dn: dn, attributes: attributes.map { PartialAttribute(type: $0.key, strings: $0.value) })
    }

    var convention: EntrySnapshot {
        snapshot(conventionDN, ["objectClass": ["annConvention"], "cn": ["CONV-1"], "annOpenDate": ["20170101000000Z"], "annGrantedProfile": [profileT1]])
    }

    var responsible: EntrySnapshot {
        snapshot(layout.user("A1"), ["uid": ["A1"], "annConvention": [conventionDN]])
    }

    func group(_ extra: [String: [String]] = [:], removing: [String] = []) -> EntrySnapshot {
        var attributes: [String: [String]] = [
            "objectClass": ["annGroup"], "cn": ["T1"], "annLabel": ["CDAP T1"], "annOpenDate": ["20171018000000Z"],
            "annResponsible": [layout.user("A1")], "annRole": [profileT1],
        ]
        for (key, value) in extra { attributes[key] = value }
        for key in removing { attributes[key] = nil }
        return snapshot("cn=T1,\(conventionDN)", attributes)
    }

    func checkGroup(_ entry: EntrySnapshot, responsible: EntrySnapshot?) throws -> Int {
        try DomainRules.checkGroup(
            entry, name: try DistinguishedName(entry.dn), convention: convention, conventionName: try DistinguishedName(conventionDN),
            responsible: responsible, parent: nil, layout: layout)
    }

    func expectViolation(_ fragment: String, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected a violation mentioning \"\(fragment)\"")
        } catch let error as LDAPOperationError {
            #expect(error.code == .constraintViolation)
            #expect(error.diagnosticMessage.contains(fragment), "\(error.diagnosticMessage)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("R2: a valid top group has level 1")
    func validGroup() throws {
        #expect(try checkGroup(group(), responsible: responsible) == 1)
    }

    @Test("R2: label, open date, responsible are required; the responsible must be a user of the convention; the close date not before the open date")
    func groupFields() {
        expectViolation("R2 : le libellé du groupe (annLabel) est obligatoire") { _ = try checkGroup(group(removing: ["annLabel"]), responsible: responsible) }
        expectViolation("R2 : la date d'ouverture (annOpenDate) est obligatoire") { _ = try checkGroup(group(removing: ["annOpenDate"]), responsible: responsible) }
        expectViolation("R2 : un responsable (annResponsible) est obligatoire") {
            _ = try checkGroup(group(removing: ["annResponsible"]), responsible: nil)
        }
        let outsider = snapshot(layout.user("B1"), ["uid": ["B1"], "annConvention": ["cn=OTHER,cn=PART,\(layout.partners)"]])
        expectViolation("R2 : le responsable (annResponsible)") { _ = try checkGroup(group(), responsible: outsider) }
        expectViolation("R2 : la date de clôture (annCloseDate) est antérieure à la date d'ouverture (annOpenDate)") {
            _ = try checkGroup(group(["annCloseDate": ["20160101000000Z"]]), responsible: responsible)
        }
        expectViolation("n'est pas une date") { _ = try checkGroup(group(["annOpenDate": ["yesterday"]]), responsible: responsible) }
    }

    @Test("R3: a role must be a profile the convention grants")
    func roles() {
        expectViolation("R3 : le profil cn=T2,cn=CDAP") {
            _ = try checkGroup(group(["annRole": ["cn=T2,cn=CDAP,\(layout.services)"]]), responsible: responsible)
        }
        expectViolation("R3 : le rôle (annRole)") {
            _ = try checkGroup(group(["annRole": [layout.user("A1")]]), responsible: responsible)
        }
    }

    @Test("R4: names and a personal e-mail address are required; shared boxes and bad work modes are refused")
    func users() throws {
        let valid = snapshot(layout.user("X"), ["sn": ["LAGARE"], "givenName": ["Xavier"], "mail": ["x.lagare@partenaires.fr"], "annWorkMode": ["itinerant"]])
        try DomainRules.checkUser(valid)
        expectViolation("R4 : le nom (sn) est obligatoire") {
            try DomainRules.checkUser(snapshot(layout.user("X"), ["givenName": ["X"], "mail": ["x@y.fr"]]))
        }
        expectViolation("R4 : l'adresse mail (mail) est obligatoire") {
            try DomainRules.checkUser(snapshot(layout.user("X"), ["sn": ["X"], "givenName": ["X"]]))
        }
        expectViolation("R4 : contact@partenaire.fr est une boîte partagée") {
            try DomainRules.checkUser(snapshot(layout.user("X"), ["sn": ["X"], "givenName": ["X"], "mail": ["contact@partenaire.fr"]]))
        }
        expectViolation("R4 : le mode de travail (annWorkMode) est sedentary (sédentaire) ou itinerant (itinérant)") {
            try DomainRules.checkUser(snapshot(layout.user("X"), ["sn": ["X"], "givenName": ["X"], "mail": ["x@y.fr"], "annWorkMode": ["nomad"]]))
        }
    }

    @Test("the same refusals in English when the request asked for it (Language.current), the rule id first in both")
    func englishRefusals() {
        Language.$current.withValue(.english) {
            expectViolation("R4: the last name (sn) is required") {
                try DomainRules.checkUser(EntrySnapshot(dn: "uid=X,ou=people,dc=annuaire,dc=local", attributes: [
                    PartialAttribute(type: "givenName", strings: ["Élise"]), PartialAttribute(type: "mail", strings: ["e.leger@partenaire.fr"]),
                ]))
            }
            expectViolation("R4: the field last name (sn) has 65 characters; at most 64") {
                try DomainRules.checkUser(EntrySnapshot(dn: "uid=X,ou=people,dc=annuaire,dc=local", attributes: [
                    PartialAttribute(type: "sn", strings: [String(repeating: "L", count: 65)]), PartialAttribute(type: "givenName", strings: ["Élise"]),
                    PartialAttribute(type: "mail", strings: ["e.leger@partenaire.fr"]),
                ]))
            }
        }
    }

    @Test("R5, R7: validity is from the open date (inclusive) to the close date (exclusive); status open, pending or closed")
    func validity() throws {
        let open = try #require(GeneralizedTime.date("20260101000000Z"))
        let close = try #require(GeneralizedTime.date("20260201000000Z"))
        let validity = Validity(open: open, close: close)
        #expect(!validity.isOpen(at: open.addingTimeInterval(-1)))
        #expect(validity.isOpen(at: open))
        #expect(validity.isOpen(at: close.addingTimeInterval(-1)))
        #expect(!validity.isOpen(at: close))
        #expect(validity.status(at: open.addingTimeInterval(-1)) == .pending)
        #expect(validity.status(at: open) == .open)
        #expect(validity.status(at: close) == .closed)
        #expect(GeneralizedTime.string(open) == "20260101000000Z")
        #expect(GeneralizedTime.date("20260231000000Z") == nil)
    }
}

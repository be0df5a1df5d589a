import Foundation
import LDAPProtocol

enum Scenarios {
    static let attributes = ["cn", "mail", "memberOf", "annHabilitation"]

    static func check(_ result: LDAPResult, _ what: String) throws {
        guard result.code == .success else { throw BenchError("\(what): \(result.code) \(result.diagnosticMessage)") }
    }

    static func uidSearch(connections: Int) -> Scenario {
        Scenario(name: "uid search, \(connections) conn", connections: connections) { target, dataset, _ in
            let client = try target.openData()
            return { random in
                let i = random.next(below: dataset.users)
                let request = SearchRequest(
                    baseObject: "ou=people,\(Dataset.suffix)", scope: .wholeSubtree,
                    filter: .equality("uid", Array(Dataset.uid(i).utf8)), attributes: attributes)
                let (entries, result, _) = try client.search(request)
                try check(result, "search")
                guard entries == 1 else { throw BenchError("search uid=\(Dataset.uid(i)): \(entries) entries") }
            }
        }
    }

    static func bindOpen(connections: Int, argon2: Bool) -> Scenario {
        Scenario(name: "bind \(argon2 ? "{ARGON2}" : "{SSHA}") on open conn, \(connections) conn", connections: connections) {
            target, dataset, _ in
            let client = try LDAPClient(url: target.bindURL)
            return { random in
                let i = argon2 ? dataset.argon2User(&random) : dataset.fastUser(&random)
                try check(try client.bindSimple(dn: Dataset.userDN(i), password: Dataset.password), "bind \(Dataset.uid(i))")
            }
        }
    }

    static func connectBindUnbind(connections: Int) -> Scenario {
        Scenario(name: "connect+bind+unbind {SSHA}, \(connections) thr", connections: connections) { target, dataset, _ in
            { random in
                let i = dataset.fastUser(&random)
                let client = try LDAPClient(url: target.bindURL)
                try check(try client.bindSimple(dn: Dataset.userDN(i), password: Dataset.password), "bind \(Dataset.uid(i))")
                client.unbindAndClose(reset: true)
            }
        }
    }

    /// One operation = the whole listing of one convention's 500 users, 100 per page.
    static func pagedListing(connections: Int) -> Scenario {
        Scenario(name: "paged listing 500 users/100, \(connections) conn", connections: connections) { target, dataset, _ in
            let client = try target.openData()
            return { random in
                let c = random.next(below: dataset.conventions)
                let request = SearchRequest(
                    baseObject: "ou=people,\(Dataset.suffix)", scope: .wholeSubtree,
                    filter: .equality("annConvention", Array(Dataset.conventionDN(c).utf8)), attributes: ["cn", "mail"])
                var cookie: [UInt8] = []
                var total = 0
                repeat {
                    let (entries, result, controls) = try client.search(
                        request, controls: [PagedResultsControl(size: 100, cookie: cookie).control(criticality: true)])
                    try check(result, "paged search")
                    total += entries
                    guard let control = controls.first(where: { $0.oid == PagedResultsControl.oid }) else {
                        throw BenchError("no paged results control in the response")
                    }
                    cookie = try PagedResultsControl(control).cookie
                } while !cookie.isEmpty
                guard total == Dataset.usersPerConvention else { throw BenchError("listing of convention \(c): \(total) entries") }
            }
        }
    }

    /// One operation = add a membership entry and delete it again, in
    /// convention `thread`'s group G5 for a user of another group. Through Annuaire the
    /// rules run and member/memberOf/annHabilitation are rewritten in one transaction;
    /// on slapd directly it is the bare add/delete (no rules, no derived state).
    static func membershipChange(connections: Int) -> Scenario {
        Scenario(name: "membership add+delete, \(connections) conn", connections: connections) { target, dataset, thread in
            let client = try target.openData()
            let c = thread % dataset.conventions
            let first = c * Dataset.usersPerConvention
            let groupDN = Dataset.groupDN(convention: c, group: 4)
            var next = 0
            return { _ in
                // users of groups G1..G4 (i % 5 != 4), not the administrator
                var i = first + 1 + next % (Dataset.usersPerConvention - 1)
                next += 1
                if Dataset.group(ofUser: i) == 4 { i -= 1 }
                let uid = Dataset.uid(i)
                let dn = "annMemberUid=\(uid),\(groupDN)"
                let add = try client.send(rawOperation: BER.addRequest(dn, [
                    ("objectClass", ["annMembership"]), ("annMemberUid", [uid]),
                    ("annMember", [Dataset.userDN(i)]), ("annOpenDate", ["20200101000000Z"]),
                ]))
                try check(try client.result(of: add), "add \(dn)")
                let delete = try client.send(rawOperation: BER.deleteRequest(dn))
                try check(try client.result(of: delete), "delete \(dn)")
            }
        }
    }
}

public import DirectoryBackend
import Foundation
public import LDAPProtocol
import NIOConcurrencyHelpers

/// A `DirectoryStore` held in memory, for testing the rules (R1–R11, the R8
/// delegation, the derivation) in process, fast and in parallel, without slapd.
/// It does what the rules ask of slapd the way slapd does it: RFC 4511 result
/// codes and matched DNs, filters with DN, generalized time and
/// case-insensitive matching and `dnSubtreeMatch`, `entryDN` and `entryCSN`,
/// the assertion (RFC 4528), post-read (RFC 4527), permissive-modify and paged
/// results (RFC 2696) controls, increments (RFC 4525) and all-or-nothing
/// transactions (RFC 5805). It is not a password store: binds compare the
/// stored `userPassword` value as it is, and what only slapd decides (the
/// password policy, argon2, schema checks beyond objectClass) is tested
/// against a real slapd.
public final class InMemoryDirectoryStore: DirectoryStore {
    /// One entry: its DN as written when added, its attributes by type as written, in order, and
    /// its number in order of creation (back-mdb's entry ID: searches return entries in that order,
    /// which a rename keeps).
    struct Entry: Sendable {
        var dn: String
        var attributes: [(type: String, values: [[UInt8]])]
        var id = 0

        func values(_ type: String) -> [[UInt8]] {
            if type.lowercased() == "entrydn" { return [Array(dn.utf8)] }
            return attributes.first { $0.type.caseInsensitiveCompare(type) == .orderedSame }?.values ?? []
        }

        mutating func set(_ type: String, _ values: [[UInt8]]) {
            if let index = attributes.firstIndex(where: { $0.type.caseInsensitiveCompare(type) == .orderedSame }) {
                if values.isEmpty { attributes.remove(at: index) } else { attributes[index].values = values }
            } else if !values.isEmpty {
                attributes.append((type, values))
            }
        }
    }

    struct State: Sendable {
        var entries: [DistinguishedName: Entry] = [:]
        var csn = 0
        var lastID = 0
        var pagedOffsets: [ObjectIdentifier: Int] = [:]
        /// Stored password hashes and the clear text each stands for (`recognize(hash:as:)`).
        var hashes: [[UInt8]: [UInt8]] = [:]
    }

    private let state = NIOLockedValueBox(State())
    public let suffix: DistinguishedName

    /// Attribute types whose values are DNs (matched as DNs, RFC 4517 §4.2.15).
    static let dnTypes: Set<String> = [
        "member", "memberof", "annmember", "annresponsible", "annparentgroup", "annconvention", "annadministers", "annmanages",
        "annrole", "annhabilitation", "anngrantedprofile", "annservicescope", "anntarget", "annactor", "annpartnertype", "entrydn",
        "pwdpolicysubentry", "seealso", "owner", "manager",
    ]
    /// Integer types (integerMatch, ordered numerically).
    static let integerTypes: Set<String> = ["annlevel", "annidentifiercounter", "annrevision", "uidnumber", "gidnumber"]

    /// A store holding only its suffix entry and, when `attributeTypes` are given, the subschema
    /// entry `cn=Subschema` that publishes them (RFC 4512 §4.2), as slapd does.
    public init(suffix: String = "dc=annuaire,dc=local", attributeTypes: [String] = []) throws {
        self.suffix = try DistinguishedName(suffix)
        let root = Entry(dn: suffix, attributes: [("objectClass", [Array("dcObject".utf8), Array("organization".utf8)])])
        let subschema = Entry(dn: "cn=Subschema", attributes: [
            ("objectClass", [Array("top".utf8), Array("subentry".utf8), Array("subschema".utf8), Array("extensibleObject".utf8)]),
            ("cn", [Array("Subschema".utf8)]),
            ("attributeTypes", attributeTypes.map { Array($0.utf8) }),
        ])
        let subschemaName = try DistinguishedName("cn=Subschema")
        state.withLockedValue { state in
            state.entries[self.suffix] = root
            if !attributeTypes.isEmpty { state.entries[subschemaName] = subschema }
        }
    }

    /// Makes binds accept `password` where an entry stores `hash` (a fixture's `{ARGON2}` value):
    /// this store does not compute hashes, so a test names the clear text a hash stands for.
    public func recognize(hash: [UInt8], as password: [UInt8]) {
        state.withLockedValue { $0.hashes[hash] = password }
    }

    /// Every entry's DN, for tests.
    public var count: Int { state.withLockedValue { $0.entries.count } }

    // MARK: - Reads

    public func search(
        _ query: SearchQuery, controls: [LDAPControl], on connection: DedicatedConnection?,
        handler: @Sendable ([SearchEvent]) async throws -> Void
    ) async throws -> (LDAPResult, [LDAPControl]) {
        let filter = try SearchFilter(rfc4515: query.filter)
        let base = try DistinguishedName(query.base)
        let paging = try controls.first { $0.oid == PagedResultsControl.oid }.map(PagedResultsControl.init)
        let key = connection.map(ObjectIdentifier.init)
        let (outcome, results, responseControls): (LDAPResult, [SearchResultEntry], [LDAPControl]) = state.withLockedValue { state in
            guard state.entries[base] != nil else {
                return (Self.missing(base, in: state), [], [])
            }
            if let assertion = controls.first(where: { $0.oid == AssertionControl.oid }) {
                guard let test = try? AssertionControl(assertion), let entry = state.entries[base], Self.matches(test.filter, entry) else {
                    return (LDAPResult(code: .assertionFailed), [], [])
                }
            }
            var found = state.entries.filter { name, _ in
                switch query.scope {
                case .baseObject: name == base
                case .singleLevel: name.rdns.count == base.rdns.count + 1 && name.isWithin(base)
                default: name.isWithin(base)
                }
            }.values.filter { Self.matches(filter, $0) }.sorted { $0.id < $1.id }
            var responseControls: [LDAPControl] = []
            if let paging {
                let offset = key.flatMap { state.pagedOffsets[$0] } ?? 0
                let page = Array(found.dropFirst(offset).prefix(max(paging.size, 1)))
                let next = offset + page.count
                let more = next < found.count
                if let key { state.pagedOffsets[key] = more ? next : nil }
                responseControls.append(PagedResultsControl(size: found.count, cookie: more ? Array(String(next).utf8) : []).control())
                found = page
            }
            if query.sizeLimit > 0, found.count > query.sizeLimit {
                return (LDAPResult(code: .sizeLimitExceeded), found.prefix(query.sizeLimit).map { Self.selected($0, query) }, [])
            }
            return (.success, found.map { Self.selected($0, query) }, responseControls)
        }
        if !results.isEmpty { try await handler(results.map(SearchEvent.entry)) }
        return (outcome, responseControls)
    }

    public func makeDedicatedConnection() -> DedicatedConnection { DedicatedConnection() }

    public func compare(dn: String, attribute: String, value: [UInt8], controls: [LDAPControl]) async throws -> OperationOutcome {
        let name = try DistinguishedName(dn)
        return try state.withLockedValue { state in
            guard let entry = state.entries[name] else { throw Self.error(Self.missing(name, in: state)) }
            let holds = Self.matches(.equality(attribute, value), entry)
            return OperationOutcome(result: LDAPResult(code: holds ? .compareTrue : .compareFalse), controls: [])
        }
    }

    // MARK: - Writes

    @discardableResult
    public func add(dn: String, attributes: [PartialAttribute], controls: [LDAPControl]) async throws -> OperationOutcome {
        try state.withLockedValue { state in
            try Self.apply(.add(dn: dn, attributes: attributes, controls: controls), to: &state)
            return OperationOutcome(result: .success, controls: try Self.postRead(dn, controls, state))
        }
    }

    @discardableResult
    public func modify(dn: String, changes: [ModifyRequest.Change], controls: [LDAPControl]) async throws -> OperationOutcome {
        try state.withLockedValue { state in
            try Self.apply(.modify(dn: dn, changes: changes, controls: controls), to: &state)
            return OperationOutcome(result: .success, controls: try Self.postRead(dn, controls, state))
        }
    }

    @discardableResult
    public func delete(dn: String, controls: [LDAPControl]) async throws -> OperationOutcome {
        try state.withLockedValue { state in
            try Self.apply(.delete(dn: dn, controls: controls), to: &state)
            return OperationOutcome(result: .success, controls: [])
        }
    }

    @discardableResult
    public func rename(dn: String, newRDN: String, deleteOldRDN: Bool, newSuperior: String?, controls: [LDAPControl]) async throws -> OperationOutcome {
        let name = try DistinguishedName(dn)
        return try state.withLockedValue { state in
            guard var entry = state.entries[name] else { throw Self.error(Self.missing(name, in: state)) }
            guard !state.entries.keys.contains(where: { $0.isBelow(name) }) else {
                throw LDAPOperationError(.notAllowedOnNonLeaf, "the entry has entries below it")
            }
            let parent = newSuperior ?? Self.parent(of: entry.dn)
            let newDN = parent.isEmpty ? newRDN : "\(newRDN),\(parent)"
            let newName = try DistinguishedName(newDN)
            guard state.entries[newName] == nil else { throw LDAPOperationError(.entryAlreadyExists, "") }
            guard state.entries[try DistinguishedName(parent)] != nil else { throw LDAPOperationError(.noSuchObject, "the new superior does not exist") }
            let rdn = try DistinguishedName(newRDN).rdns.first ?? []
            for pair in rdn where !entry.values(pair.type).contains(where: { Self.equal(pair.type, $0, Array(pair.value.utf8)) }) {
                entry.set(pair.type, entry.values(pair.type) + [Array(pair.value.utf8)])
            }
            entry.dn = newDN
            state.entries[name] = nil
            Self.stamp(&entry, &state)
            state.entries[newName] = entry
            return OperationOutcome(result: .success, controls: [])
        }
    }

    public func transaction(_ body: @escaping @Sendable (inout TransactionWriter) throws -> Void) async throws {
        try state.withLockedValue { state in
            // All or nothing: every request is applied to a copy, which replaces the state only if all went through.
            var copy = state
            var writer = TransactionWriter { request in try Self.apply(request, to: &copy) }
            try body(&writer)
            state = copy
        }
    }

    // MARK: - Binds and extended operations

    /// A simple bind as slapd's ppolicy answers it: invalidCredentials (49) for a wrong password, and
    /// also, whatever the password, for an account locked (`pwdAccountLockedTime`) or outside its
    /// validity (`pwdStartTime`/`pwdEndTime`, by the wall clock, as slapd reads its own).
    public func bind(dn: String, password: [UInt8], controls: [LDAPControl]) async throws -> BindOutcome {
        let name = try? DistinguishedName(dn)
        let now = Self.timestamp() + "Z"
        let matches = state.withLockedValue { state -> Bool in
            guard let entry = name.flatMap({ state.entries[$0] }), !password.isEmpty else { return false }
            guard entry.values("pwdAccountLockedTime").isEmpty else { return false }
            if let start = entry.values("pwdStartTime").first, String(decoding: start, as: UTF8.self) > now { return false }
            if let end = entry.values("pwdEndTime").first, String(decoding: end, as: UTF8.self) <= now { return false }
            return entry.values("userPassword").contains { $0 == password || state.hashes[$0] == password }
        }
        return BindOutcome(result: LDAPResult(code: matches ? .success : .invalidCredentials), controls: [])
    }

    public func extended(name: String, value: [UInt8]?, controls: [LDAPControl]) async throws -> ExtendedOutcome {
        guard name == PasswordModifyRequest.oid else {
            return ExtendedOutcome(result: LDAPResult(code: .protocolError, diagnosticMessage: "unsupported extended operation \(name)"), controls: [], name: nil, value: nil)
        }
        let request = try PasswordModifyRequest(value: value)
        guard let target = request.userIdentity, let password = request.newPassword else {
            return ExtendedOutcome(result: LDAPResult(code: .unwillingToPerform, diagnosticMessage: "name the user and the new password"), controls: [], name: nil, value: nil)
        }
        let dn = target.lowercased().hasPrefix("dn:") ? String(target.dropFirst(3)) : target
        // An administrative reset: the password must be changed at the next bind (ppolicy's pwdReset).
        try await modify(dn: dn, changes: [
            .init(operation: .replace, modification: PartialAttribute(type: "userPassword", values: [password])),
            .init(operation: .replace, modification: PartialAttribute(type: "pwdReset", strings: ["TRUE"])),
        ], controls: [])
        return ExtendedOutcome(result: .success, controls: [], name: nil, value: nil)
    }

    public func extended(asUser dn: String, password: [UInt8], name: String, value: [UInt8]?, controls: [LDAPControl]) async throws -> ExtendedOutcome {
        let bound = try await bind(dn: dn, password: password, controls: [])
        guard bound.result.code == .success else { return ExtendedOutcome(result: bound.result, controls: [], name: nil, value: nil) }
        let request = try PasswordModifyRequest(value: value)
        guard let new = request.newPassword else {
            return ExtendedOutcome(result: LDAPResult(code: .unwillingToPerform), controls: [], name: nil, value: nil)
        }
        try await modify(dn: dn, changes: [
            .init(operation: .replace, modification: PartialAttribute(type: "userPassword", values: [new])),
            .init(operation: .delete, modification: PartialAttribute(type: "pwdReset", values: [])),
        ], controls: [LDAPControl(oid: "1.2.840.113556.1.4.1413")])
        return ExtendedOutcome(result: .success, controls: [], name: nil, value: nil)
    }

    // MARK: - Applying one request

    private static func apply(_ request: TransactionWriter.Request, to state: inout State) throws {
        switch request {
        case .add(let dn, let attributes, let controls):
            let name = try DistinguishedName(dn)
            guard state.entries[name] == nil else { throw LDAPOperationError(.entryAlreadyExists, "") }
            let parentDN = parent(of: dn)
            guard !parentDN.isEmpty, state.entries[try DistinguishedName(parentDN)] != nil else {
                throw error(missing(name, in: state))
            }
            try checkAssertion(controls, on: nil)
            var entry = Entry(dn: dn, attributes: [])
            for attribute in attributes where !attribute.values.isEmpty {
                entry.set(attribute.type, entry.values(attribute.type) + attribute.values)
            }
            guard !entry.values("objectClass").isEmpty else { throw LDAPOperationError(.objectClassViolation, "no objectClass") }
            for pair in name.rdns.first ?? [] where !entry.values(pair.type).contains(where: { equal(pair.type, $0, Array(pair.value.utf8)) }) {
                throw LDAPOperationError(.namingViolation, "the RDN's value \(pair.type)=\(pair.value) is not among the entry's values")
            }
            state.lastID += 1
            entry.id = state.lastID
            entry.set("entryUUID", [Array(UUID().uuidString.lowercased().utf8)])
            entry.set("createTimestamp", [Array(timestamp().utf8)])
            stamp(&entry, &state)
            state.entries[name] = entry
        case .modify(let dn, let changes, let controls):
            let name = try DistinguishedName(dn)
            guard var entry = state.entries[name] else { throw error(missing(name, in: state)) }
            try checkAssertion(controls, on: entry)
            let permissive = controls.contains { $0.oid == "1.2.840.113556.1.4.1413" }
            for change in changes {
                let type = change.modification.type
                var values = entry.values(type)
                switch change.operation {
                case .add:
                    for value in change.modification.values {
                        if values.contains(where: { equal(type, $0, value) }) {
                            if permissive { continue }
                            throw LDAPOperationError(.attributeOrValueExists, "\(type): value exists")
                        }
                        values.append(value)
                    }
                case .delete:
                    if change.modification.values.isEmpty {
                        if values.isEmpty && !permissive { throw LDAPOperationError(.noSuchAttribute, "\(type): no such attribute") }
                        values = []
                    }
                    for value in change.modification.values {
                        guard let index = values.firstIndex(where: { equal(type, $0, value) }) else {
                            if permissive { continue }
                            throw LDAPOperationError(.noSuchAttribute, "\(type): no such value")
                        }
                        values.remove(at: index)
                    }
                case .replace:
                    values = change.modification.values
                case .increment:
                    guard let current = values.first.flatMap({ Int(String(decoding: $0, as: UTF8.self)) }),
                          let step = change.modification.values.first.flatMap({ Int(String(decoding: $0, as: UTF8.self)) })
                    else { throw LDAPOperationError(.constraintViolation, "\(type): increment needs an integer value") }
                    values = [Array(String(current + step).utf8)]
                }
                entry.set(type, values)
            }
            stamp(&entry, &state)
            state.entries[name] = entry
        case .delete(let dn, let controls):
            let name = try DistinguishedName(dn)
            guard let entry = state.entries[name] else { throw error(missing(name, in: state)) }
            try checkAssertion(controls, on: entry)
            guard !state.entries.keys.contains(where: { $0.isBelow(name) }) else {
                throw LDAPOperationError(.notAllowedOnNonLeaf, "the entry has entries below it")
            }
            state.entries[name] = nil
        }
    }

    private static func checkAssertion(_ controls: [LDAPControl], on entry: Entry?) throws {
        guard let control = controls.first(where: { $0.oid == AssertionControl.oid }) else { return }
        let assertion = try AssertionControl(control)
        guard let entry, matches(assertion.filter, entry) else { throw LDAPOperationError(.assertionFailed, "") }
    }

    /// A new `entryCSN` and `modifyTimestamp` for a changed entry.
    private static func stamp(_ entry: inout Entry, _ state: inout State) {
        state.csn += 1
        entry.set("entryCSN", [Array("\(timestamp()).\(String(format: "%06d", state.csn))Z#000000#000#000000".utf8)])
        entry.set("modifyTimestamp", [Array(timestamp().utf8)])
    }

    private static func timestamp() -> String {
        let parts = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC") ?? .current, from: Date())
        return String(format: "%04d%02d%02d%02d%02d%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
    }

    private static func postRead(_ dn: String, _ controls: [LDAPControl], _ state: State) throws -> [LDAPControl] {
        guard let control = controls.first(where: { $0.oid == "1.3.6.1.1.13.2" }),
              let entry = state.entries[try DistinguishedName(dn)]
        else { return [] }
        let query = SearchQuery(base: dn, scope: .baseObject, attributes: try ReadEntryRequest.attributes(from: control.value))
        return [LDAPControl(oid: control.oid, value: try ReadEntryControl.encode(selected(entry, query)))]
    }

    // MARK: - Names and matching

    private static func error(_ result: LDAPResult) -> LDAPOperationError {
        LDAPOperationError(result.code, result.diagnosticMessage, matchedDN: result.matchedDN)
    }

    /// noSuchObject with the deepest existing ancestor as matched DN (RFC 4511 §4.1.9).
    private static func missing(_ name: DistinguishedName, in state: State) -> LDAPResult {
        var ancestor = name
        while !ancestor.rdns.isEmpty {
            ancestor = ancestor.ancestor(1)
            if let entry = state.entries[ancestor] { return LDAPResult(code: .noSuchObject, matchedDN: entry.dn) }
        }
        return LDAPResult(code: .noSuchObject)
    }

    static func parent(of dn: String) -> String { DistinguishedName.parent(of: dn) }

    /// The entry with the attributes a query selects (RFC 4511 §4.5.1.8).
    private static func selected(_ entry: Entry, _ query: SearchQuery) -> SearchResultEntry {
        let operational: Set<String> = ["entryuuid", "entrycsn", "createtimestamp", "modifytimestamp", "pwdreset", "pwdchangedtime"]
        let wanted = Set(query.attributes.map { $0.lowercased() })
        let all = wanted.isEmpty || wanted.contains("*")
        let attributes = entry.attributes.filter { attribute in
            let type = attribute.type.lowercased()
            if wanted.contains(type) { return true }
            if wanted == ["1.1"] { return false }
            if operational.contains(type) { return wanted.contains("+") }
            return all
        }.map { PartialAttribute(type: $0.type, values: $0.values) }
        var result = attributes
        if wanted.contains("entrydn") { result.append(PartialAttribute(type: "entryDN", strings: [entry.dn])) }
        return SearchResultEntry(objectName: entry.dn, attributes: result, typesOnly: query.typesOnly)
    }

    static func normalized(_ type: String, _ value: [UInt8]) -> String {
        let text = String(decoding: value, as: UTF8.self)
        if dnTypes.contains(type.lowercased()) { return (try? DistinguishedName(text).description) ?? text.lowercased() }
        return text.lowercased()
    }

    static func equal(_ type: String, _ a: [UInt8], _ b: [UInt8]) -> Bool {
        if type.lowercased() == "userpassword" { return a == b }
        return normalized(type, a) == normalized(type, b)
    }

    static func ordered(_ type: String, _ value: [UInt8], _ bound: [UInt8]) -> Int {
        if integerTypes.contains(type.lowercased()),
           let a = Int(String(decoding: value, as: UTF8.self)), let b = Int(String(decoding: bound, as: UTF8.self)) {
            return a < b ? -1 : (a == b ? 0 : 1)
        }
        let a = normalized(type, value), b = normalized(type, bound)
        return a < b ? -1 : (a == b ? 0 : 1)
    }

    /// Evaluates a filter (RFC 4511 §4.5.1.7); Undefined counts as false.
    static func matches(_ filter: SearchFilter, _ entry: Entry) -> Bool {
        func base(_ type: String) -> String { type.split(separator: ";").first.map(String.init) ?? type }
        switch filter {
        case .and(let filters): return filters.allSatisfy { matches($0, entry) }
        case .or(let filters): return filters.contains { matches($0, entry) }
        case .not(let inner): return !matches(inner, entry)
        case .equality(let type, let value), .approx(let type, let value):
            return entry.values(base(type)).contains { equal(base(type), $0, value) }
        case .present(let type):
            return base(type).lowercased() == "objectclass" || !entry.values(base(type)).isEmpty
        case .greaterOrEqual(let type, let value):
            return entry.values(base(type)).contains { ordered(base(type), $0, value) >= 0 }
        case .lessOrEqual(let type, let value):
            return entry.values(base(type)).contains { ordered(base(type), $0, value) <= 0 }
        case .substrings(let type, let initial, let any, let final):
            return entry.values(base(type)).contains { value in
                var text = Substring(normalized(base(type), value))
                if let initial {
                    let prefix = String(decoding: initial, as: UTF8.self).lowercased()
                    guard text.hasPrefix(prefix) else { return false }
                    text = text.dropFirst(prefix.count)
                }
                for part in any {
                    guard let range = text.range(of: String(decoding: part, as: UTF8.self).lowercased()) else { return false }
                    text = text[range.upperBound...]
                }
                if let final { return text.hasSuffix(String(decoding: final, as: UTF8.self).lowercased()) }
                return true
            }
        case .extensible(let rule, let type, let value, _):
            guard let type else { return false }
            if rule?.lowercased() == "dnsubtreematch" {
                guard let within = try? DistinguishedName(String(decoding: value, as: UTF8.self)) else { return false }
                return entry.values(base(type)).contains { (try? DistinguishedName(String(decoding: $0, as: UTF8.self)))?.isWithin(within) == true }
            }
            return entry.values(base(type)).contains { equal(base(type), $0, value) }
        }
    }
}

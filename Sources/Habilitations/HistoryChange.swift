import Foundation

/// One attribute a recorded change touched (R11: "what changed"), with its
/// values before and after; stored as one JSON value of the event's
/// `annChange`, so that any LDAP client can read it and values with any
/// characters survive. Passwords, tokens and the server's derived values are
/// never recorded (`recordable`).
public struct HistoryChange: Codable, Sendable, Hashable {
    public var attribute: String
    public var old: [String]
    public var new: [String]

    public init(attribute: String, old: [String], new: [String]) {
        self.attribute = attribute
        self.old = old
        self.new = new
    }

    /// The stored form: `{"attribute":"annLabel","new":["CDAP T1 bis"],"old":["CDAP T1"]}`.
    public var stored: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// A stored value read back; nil when it is not one.
    public init?(stored: String) {
        guard let decoded = try? JSONDecoder().decode(HistoryChange.self, from: Data(stored.utf8)) else { return nil }
        self = decoded
    }

    /// Attributes whose values never reach the history: secrets, the ppolicy's state, what the server derives.
    static func recordable(_ type: String) -> Bool {
        let lowered = type.lowercased()
        if lowered.contains("password") || lowered.contains("token") || lowered.contains("secret") || lowered.hasPrefix("pwd") { return false }
        if ["objectclass", "entrycsn", "modifytimestamp", "modifiersname", "createtimestamp", "creatorsname", "entryuuid"].contains(lowered) { return false }
        return !HabilitationService.derivedAttributes.contains(lowered)
    }

    /// The attribute's name as the schema spells it (snapshots keep types lower-cased).
    static func schemaName(_ lowered: String) -> String {
        spelled[lowered] ?? lowered
    }

    private static let spelled: [String: String] = Dictionary(uniqueKeysWithValues: [
        "cn", "sn", "givenName", "mail", "telephoneNumber", "uid", "description", AttributeName.label, AttributeName.openDate, AttributeName.closeDate,
        AttributeName.role, AttributeName.responsible, AttributeName.parentGroup, AttributeName.member, AttributeName.memberUid, AttributeName.workMode, AttributeName.convention, AttributeName.administers,
        AttributeName.grantedProfile, AttributeName.partnerType, AttributeName.serviceScope, "postalAddress", "labeledURI", "displayName", "title",
    ].map { ($0.lowercased(), $0) })

    /// What a change did, attribute by attribute, in the schema's spelling and a stable order.
    public static func between(_ before: EntrySnapshot?, _ after: EntrySnapshot?) -> [HistoryChange] {
        let types = Set((before?.attributes.keys).map(Array.init) ?? []).union((after?.attributes.keys).map(Array.init) ?? [])
        var changes: [HistoryChange] = []
        for type in types.sorted() where recordable(type) {
            let old = before?.values(type) ?? []
            let new = after?.values(type) ?? []
            guard Set(old.map { $0.lowercased() }) != Set(new.map { $0.lowercased() }) else { continue }
            changes.append(HistoryChange(attribute: schemaName(type), old: old, new: new))
        }
        return changes
    }
}

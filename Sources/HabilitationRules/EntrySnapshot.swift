public import LDAPProtocol

/// An entry's attributes as read from slapd or as a request describes them,
/// with the RFC 4511 §4.6 modify semantics applied in memory: the rules judge
/// the entry as it will be after the change.
public struct EntrySnapshot: Sendable, Hashable {
    public var dn: String
    /// Attribute values by lower-cased attribute type (options kept in the type).
    public private(set) var attributes: [String: [String]]

    public init(dn: String, attributes: [PartialAttribute]) {
        self.dn = dn
        self.attributes = [:]
        for attribute in attributes where !attribute.values.isEmpty {
            self.attributes[attribute.type.lowercased(), default: []] += attribute.stringValues
        }
    }

    public init(_ entry: SearchResultEntry) {
        self.init(dn: entry.objectName, attributes: entry.attributes)
    }

    public func values(_ type: String) -> [String] { attributes[type.lowercased()] ?? [] }
    public func value(_ type: String) -> String? { values(type).first }
    public func has(_ type: String) -> Bool { !values(type).isEmpty }

    public var objectClasses: Set<String> { Set(values("objectClass").map { $0.lowercased() }) }

    /// Applies a Modify's changes (add, delete, replace; increment on integers).
    public mutating func apply(_ changes: [ModifyRequest.Change]) {
        for change in changes {
            let type = change.modification.type.lowercased()
            let values = change.modification.stringValues
            switch change.operation {
            case .add:
                attributes[type, default: []] += values
            case .replace:
                attributes[type] = values.isEmpty ? nil : values
            case .delete:
                if values.isEmpty {
                    attributes[type] = nil
                } else {
                    let removed = Set(values.map { $0.lowercased() })
                    attributes[type] = attributes[type]?.filter { !removed.contains($0.lowercased()) }
                    if attributes[type]?.isEmpty == true { attributes[type] = nil }
                }
            case .increment:
                if let current = attributes[type]?.first.flatMap(Int.init), let by = values.first.flatMap(Int.init) {
                    attributes[type] = [String(current + by)]
                }
            }
        }
    }

    public mutating func set(_ type: String, _ values: [String]) {
        attributes[type.lowercased()] = values.isEmpty ? nil : values
    }
}

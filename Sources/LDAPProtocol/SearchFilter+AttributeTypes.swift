extension SearchFilter {
    /// The same filter with every attribute description replaced by `transform`'s
    /// (RFC 4511 §4.5.1.7: each item names one attribute description; an
    /// extensible match may name none).
    public func mappingAttributeDescriptions(_ transform: (String) throws -> String) rethrows -> SearchFilter {
        switch self {
        case .and(let filters): .and(try filters.map { try $0.mappingAttributeDescriptions(transform) })
        case .or(let filters): .or(try filters.map { try $0.mappingAttributeDescriptions(transform) })
        case .not(let filter): .not(try filter.mappingAttributeDescriptions(transform))
        case .equality(let type, let value): .equality(try transform(type), value)
        case .substrings(let type, let initial, let any, let final):
            .substrings(try transform(type), initial: initial, any: any, final: final)
        case .greaterOrEqual(let type, let value): .greaterOrEqual(try transform(type), value)
        case .lessOrEqual(let type, let value): .lessOrEqual(try transform(type), value)
        case .present(let type): .present(try transform(type))
        case .approx(let type, let value): .approx(try transform(type), value)
        case .extensible(let rule, let type, let value, let dnAttributes):
            .extensible(matchingRule: rule, type: try type.map(transform), value: value, dnAttributes: dnAttributes)
        }
    }

    /// Whether an extensible match item names no attribute type (RFC 4511 §4.5.1.7.7: it is then
    /// evaluated against every attribute of the entry its matching rule applies to).
    public var hasUntypedExtensibleMatch: Bool {
        switch self {
        case .and(let filters), .or(let filters): filters.contains { $0.hasUntypedExtensibleMatch }
        case .not(let filter): filter.hasUntypedExtensibleMatch
        case .extensible(_, let type, _, _): type == nil
        default: false
        }
    }

    /// Whether an extensible match item with `dnAttributes` set occurs (RFC 4511 §4.5.1.7.7: it also
    /// matches the entry's DN components, whatever attribute types they have).
    public var matchesDNAttributes: Bool {
        switch self {
        case .and(let filters), .or(let filters): filters.contains { $0.matchesDNAttributes }
        case .not(let filter): filter.matchesDNAttributes
        case .extensible(_, _, _, let dnAttributes): dnAttributes
        default: false
        }
    }
}

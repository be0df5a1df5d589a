public import SwiftASN1

/// A search filter (RFC 4511 §4.5.1.7), evaluated by slapd: Swift only
/// decodes it, checks its depth and renders it as an RFC 4515 string.
///
/// ```
/// Filter ::= CHOICE {
///      and             [0] SET SIZE (1..MAX) OF filter Filter,
///      or              [1] SET SIZE (1..MAX) OF filter Filter,
///      not             [2] Filter,
///      equalityMatch   [3] AttributeValueAssertion,
///      substrings      [4] SubstringFilter,
///      greaterOrEqual  [5] AttributeValueAssertion,
///      lessOrEqual     [6] AttributeValueAssertion,
///      present         [7] AttributeDescription,
///      approxMatch     [8] AttributeValueAssertion,
///      extensibleMatch [9] MatchingRuleAssertion,
///      ... }
/// SubstringFilter ::= SEQUENCE {
///      type           AttributeDescription,
///      substrings     SEQUENCE SIZE (1..MAX) OF substring CHOICE {
///           initial [0] AssertionValue,  -- can occur at most once
///           any     [1] AssertionValue,
///           final   [2] AssertionValue } -- can occur at most once }
/// MatchingRuleAssertion ::= SEQUENCE {
///      matchingRule    [1] MatchingRuleId OPTIONAL,
///      type            [2] AttributeDescription OPTIONAL,
///      matchValue      [3] AssertionValue,
///      dnAttributes    [4] BOOLEAN DEFAULT FALSE }
/// ```
/// Empty `and`/`or` sets are accepted as the absolute true and false
/// filters of RFC 4526, which slapd evaluates.
public indirect enum SearchFilter: Hashable, Sendable {
    case and([SearchFilter])
    case or([SearchFilter])
    case not(SearchFilter)
    case equality(String, [UInt8])
    case substrings(String, initial: [UInt8]?, any: [[UInt8]], final: [UInt8]?)
    case greaterOrEqual(String, [UInt8])
    case lessOrEqual(String, [UInt8])
    case present(String)
    case approx(String, [UInt8])
    case extensible(matchingRule: String?, type: String?, value: [UInt8], dnAttributes: Bool)

    /// `(objectClass=*)`, the filter of a plain read.
    public static let everything = SearchFilter.present("objectClass")

    public init(node: ASN1Node) throws {
        guard node.identifier.tagClass == .contextSpecific else {
            throw LDAPDecodingError("Filter: unexpected tag \(node.identifier)")
        }
        switch node.identifier.tagNumber {
        case 0:
            self = .and(try node.children(.context(0), field: "and").map { try SearchFilter(node: $0) })
        case 1:
            self = .or(try node.children(.context(1), field: "or").map { try SearchFilter(node: $0) })
        case 2:
            var children = try node.children(.context(2), field: "not").makeIterator()
            let inner = try SearchFilter(node: try children.required("not"))
            guard children.next() == nil else { throw LDAPDecodingError("not: more than one filter") }
            self = .not(inner)
        case 3:
            let (type, value) = try Self.assertion(node, 3)
            self = .equality(type, value)
        case 4:
            var children = try node.children(.context(4), field: "substrings").makeIterator()
            let type = try children.required("type").utf8String(field: "substrings type")
            var initial: [UInt8]?
            var anyParts: [[UInt8]] = []
            var final: [UInt8]?
            let parts = try children.required("substrings").children(.sequence, field: "substrings")
            for part in parts {
                guard part.identifier.tagClass == .contextSpecific, case .primitive(let bytes) = part.content else {
                    throw LDAPDecodingError("substrings: unexpected element \(part.identifier)")
                }
                switch part.identifier.tagNumber {
                case 0 where initial == nil && anyParts.isEmpty && final == nil: initial = Array(bytes)
                case 1 where final == nil: anyParts.append(Array(bytes))
                case 2 where final == nil: final = Array(bytes)
                default: throw LDAPDecodingError("substrings: misplaced or repeated element")
                }
            }
            guard initial != nil || !anyParts.isEmpty || final != nil else {
                throw LDAPDecodingError("substrings: empty")
            }
            guard children.next() == nil else { throw LDAPDecodingError("substrings: trailing element") }
            self = .substrings(type, initial: initial, any: anyParts, final: final)
        case 5:
            let (type, value) = try Self.assertion(node, 5)
            self = .greaterOrEqual(type, value)
        case 6:
            let (type, value) = try Self.assertion(node, 6)
            self = .lessOrEqual(type, value)
        case 7:
            self = .present(try node.utf8String(.context(7), field: "present"))
        case 8:
            let (type, value) = try Self.assertion(node, 8)
            self = .approx(type, value)
        case 9:
            var rule: String?
            var type: String?
            var value: [UInt8]?
            var dnAttributes = false
            for child in try node.children(.context(9), field: "extensibleMatch") {
                switch child.identifier {
                case .context(1) where rule == nil && type == nil && value == nil:
                    rule = try child.utf8String(.context(1), field: "matchingRule")
                case .context(2) where type == nil && value == nil:
                    type = try child.utf8String(.context(2), field: "type")
                case .context(3) where value == nil:
                    value = Array(try child.primitiveBytes(.context(3), field: "matchValue"))
                case .context(4) where value != nil:
                    dnAttributes = try child.boolean(.context(4), field: "dnAttributes")
                default:
                    throw LDAPDecodingError("extensibleMatch: unexpected element \(child.identifier)")
                }
            }
            guard let value else { throw LDAPDecodingError("extensibleMatch: matchValue missing") }
            guard rule != nil || type != nil else {
                throw LDAPDecodingError("extensibleMatch: neither matchingRule nor type")
            }
            self = .extensible(matchingRule: rule, type: type, value: value, dnAttributes: dnAttributes)
        default:
            throw LDAPDecodingError("Filter: unknown choice [\(node.identifier.tagNumber)]")
        }
    }

    /// AttributeValueAssertion ::= SEQUENCE { attributeDesc, assertionValue }
    private static func assertion(_ node: ASN1Node, _ tag: UInt) throws -> (String, [UInt8]) {
        var children = try node.children(.context(tag), field: "AttributeValueAssertion").makeIterator()
        let type = try children.required("attributeDesc").utf8String(field: "attributeDesc")
        let value = Array(try children.required("assertionValue").primitiveBytes(.octetString, field: "assertionValue"))
        guard children.next() == nil else { throw LDAPDecodingError("AttributeValueAssertion: trailing element") }
        return (type, value)
    }

    public func serialize(into coder: inout DER.Serializer) throws {
        switch self {
        case .and(let filters):
            try coder.appendConstructedNode(identifier: .context(0)) { coder in
                for filter in filters { try filter.serialize(into: &coder) }
            }
        case .or(let filters):
            try coder.appendConstructedNode(identifier: .context(1)) { coder in
                for filter in filters { try filter.serialize(into: &coder) }
            }
        case .not(let filter):
            try coder.appendConstructedNode(identifier: .context(2)) { try filter.serialize(into: &$0) }
        case .equality(let type, let value): Self.serializeAssertion(3, type, value, into: &coder)
        case .substrings(let type, let initial, let anyParts, let final):
            coder.appendConstructedNode(identifier: .context(4)) { coder in
                coder.appendString(type)
                coder.appendConstructedNode(identifier: .sequence) { coder in
                    if let initial { coder.appendOctets(initial, identifier: .context(0)) }
                    for part in anyParts { coder.appendOctets(part, identifier: .context(1)) }
                    if let final { coder.appendOctets(final, identifier: .context(2)) }
                }
            }
        case .greaterOrEqual(let type, let value): Self.serializeAssertion(5, type, value, into: &coder)
        case .lessOrEqual(let type, let value): Self.serializeAssertion(6, type, value, into: &coder)
        case .present(let type): coder.appendString(type, identifier: .context(7))
        case .approx(let type, let value): Self.serializeAssertion(8, type, value, into: &coder)
        case .extensible(let rule, let type, let value, let dnAttributes):
            try coder.appendConstructedNode(identifier: .context(9)) { coder in
                if let rule { coder.appendString(rule, identifier: .context(1)) }
                if let type { coder.appendString(type, identifier: .context(2)) }
                coder.appendOctets(value, identifier: .context(3))
                if dnAttributes { try coder.appendBoolean(true, identifier: .context(4)) }
            }
        }
    }

    private static func serializeAssertion(_ tag: UInt, _ type: String, _ value: [UInt8], into coder: inout DER.Serializer) {
        coder.appendConstructedNode(identifier: .context(tag)) { coder in
            coder.appendString(type)
            coder.appendOctets(value)
        }
    }

    /// The nesting depth: 1 for a simple item, one more per and/or/not.
    public var depth: Int {
        switch self {
        case .and(let filters), .or(let filters): 1 + (filters.map(\.depth).max() ?? 0)
        case .not(let filter): 1 + filter.depth
        default: 1
        }
    }

    /// Every attribute description the filter names.
    public var attributeDescriptions: Set<String> {
        switch self {
        case .and(let filters), .or(let filters): filters.reduce(into: []) { $0.formUnion($1.attributeDescriptions) }
        case .not(let filter): filter.attributeDescriptions
        case .equality(let type, _), .substrings(let type, _, _, _), .greaterOrEqual(let type, _),
            .lessOrEqual(let type, _), .present(let type), .approx(let type, _):
            [type]
        case .extensible(_, let type, _, _): type.map { [$0] } ?? []
        }
    }
}

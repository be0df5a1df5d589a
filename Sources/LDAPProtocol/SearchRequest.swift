public import SwiftASN1

/// A Search request (RFC 4511 §4.5.1).
///
/// ```
/// SearchRequest ::= [APPLICATION 3] SEQUENCE {
///      baseObject      LDAPDN,
///      scope           ENUMERATED { baseObject (0), singleLevel (1), wholeSubtree (2), ... },
///      derefAliases    ENUMERATED { neverDerefAliases (0), derefInSearching (1),
///                                   derefFindingBaseObj (2), derefAlways (3) },
///      sizeLimit       INTEGER (0 ..  maxInt),
///      timeLimit       INTEGER (0 ..  maxInt),
///      typesOnly       BOOLEAN,
///      filter          Filter,
///      attributes      AttributeSelection }
/// AttributeSelection ::= SEQUENCE OF selector LDAPString
/// ```
public struct SearchRequest: Hashable, Sendable {
    public enum Scope: Int, Hashable, Sendable {
        case baseObject = 0
        case singleLevel = 1
        case wholeSubtree = 2
        /// RFC 4512 §… / draft-sermersheim-ldap-subordinate-scope, served by slapd.
        case subordinateSubtree = 3
    }

    public static let tag = ASN1Identifier.application(3)

    public var baseObject: String
    public var scope: Scope
    public var derefAliases: Int
    public var sizeLimit: Int
    public var timeLimit: Int
    public var typesOnly: Bool
    public var filter: SearchFilter
    public var attributes: [String]

    public init(
        baseObject: String, scope: Scope, derefAliases: Int = 0, sizeLimit: Int = 0, timeLimit: Int = 0,
        typesOnly: Bool = false, filter: SearchFilter = .everything, attributes: [String] = []
    ) {
        self.baseObject = baseObject
        self.scope = scope
        self.derefAliases = derefAliases
        self.sizeLimit = sizeLimit
        self.timeLimit = timeLimit
        self.typesOnly = typesOnly
        self.filter = filter
        self.attributes = attributes
    }

    public init(node: ASN1Node) throws {
        var children = try node.children(Self.tag, field: "SearchRequest").makeIterator()
        baseObject = try children.required("baseObject").utf8String(field: "baseObject")
        let scopeValue = try children.required("scope").integer(.enumerated, field: "scope")
        guard let scope = Scope(rawValue: scopeValue) else { throw LDAPDecodingError("scope: unknown value \(scopeValue)") }
        self.scope = scope
        derefAliases = try children.required("derefAliases").integer(.enumerated, field: "derefAliases")
        guard (0...3).contains(derefAliases) else { throw LDAPDecodingError("derefAliases: unknown value") }
        sizeLimit = try children.required("sizeLimit").integer(field: "sizeLimit")
        timeLimit = try children.required("timeLimit").integer(field: "timeLimit")
        guard sizeLimit >= 0, timeLimit >= 0 else { throw LDAPDecodingError("size or time limit below zero") }
        typesOnly = try children.required("typesOnly").boolean(field: "typesOnly")
        filter = try SearchFilter(node: try children.required("filter"))
        attributes = try children.required("attributes").children(.sequence, field: "attributes").map {
            try $0.utf8String(field: "attribute selector")
        }
        guard children.next() == nil else { throw LDAPDecodingError("SearchRequest: trailing element") }
    }

    public func serialize(into coder: inout DER.Serializer) throws {
        try coder.appendConstructedNode(identifier: Self.tag) { coder in
            coder.appendString(baseObject)
            try coder.appendInteger(scope.rawValue, identifier: .enumerated)
            try coder.appendInteger(derefAliases, identifier: .enumerated)
            try coder.appendInteger(sizeLimit)
            try coder.appendInteger(timeLimit)
            try coder.appendBoolean(typesOnly)
            try filter.serialize(into: &coder)
            coder.appendConstructedNode(identifier: .sequence) { coder in
                for attribute in attributes { coder.appendString(attribute) }
            }
        }
    }
}

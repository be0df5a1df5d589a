public import LDAPProtocol

/// A search as slapd receives it (RFC 4511 §4.5.1), with the filter already in
/// its RFC 4515 string form.
public struct SearchQuery: Sendable {
    public var base: String
    public var scope: SearchRequest.Scope
    public var filter: String
    public var attributes: [String]
    public var typesOnly: Bool
    public var sizeLimit: Int
    public var timeLimit: Int

    public init(
        base: String, scope: SearchRequest.Scope, filter: String = "(objectClass=*)", attributes: [String] = [],
        typesOnly: Bool = false, sizeLimit: Int = 0, timeLimit: Int = 0
    ) {
        self.base = base
        self.scope = scope
        self.filter = filter
        self.attributes = attributes
        self.typesOnly = typesOnly
        self.sizeLimit = sizeLimit
        self.timeLimit = timeLimit
    }

    /// A query whose filter is built as a value, rendered here (RFC 4515 §3 escapes its values).
    public init(
        base: String, scope: SearchRequest.Scope, filter: SearchFilter, attributes: [String] = [],
        typesOnly: Bool = false, sizeLimit: Int = 0, timeLimit: Int = 0
    ) throws {
        self.init(
            base: base, scope: scope, filter: try filter.rfc4515String(), attributes: attributes,
            typesOnly: typesOnly, sizeLimit: sizeLimit, timeLimit: timeLimit)
    }

    /// The query for a client's search request.
    public init(_ request: SearchRequest) throws {
        self.init(
            base: request.baseObject, scope: request.scope, filter: try request.filter.rfc4515String(),
            attributes: request.attributes, typesOnly: request.typesOnly,
            sizeLimit: request.sizeLimit, timeLimit: request.timeLimit
        )
    }
}

/// What a running search yields (RFC 4511 §4.5.2): entries, continuation
/// references, then its final result with response controls.
public enum SearchEvent: Sendable {
    case entry(SearchResultEntry)
    case reference([String])
    case done(LDAPResult, [LDAPControl])
}

/// The result of an extended operation (RFC 4511 §4.12).
public struct ExtendedOutcome: Sendable {
    public var result: LDAPResult
    public var controls: [LDAPControl]
    public var name: String?
    public var value: [UInt8]?

    public init(result: LDAPResult, controls: [LDAPControl], name: String?, value: [UInt8]?) {
        self.result = result
        self.controls = controls
        self.name = name
        self.value = value
    }
}

/// The result of a bind (RFC 4511 §4.2.2) with its response controls (ppolicy's, say).
public struct BindOutcome: Sendable {
    public var result: LDAPResult
    public var controls: [LDAPControl]

    public init(result: LDAPResult, controls: [LDAPControl]) {
        self.result = result
        self.controls = controls
    }
}

/// The attribute types a directory knows, by every spelling a client may use
/// (RFC 4512 §2.5: an attribute description names its type by a `descr` or by
/// its `numericoid`, in any case, followed by options). Decisions about
/// attributes are made on the resolved type, never on the spelling: `userPassword`,
/// `USERPASSWORD;binary` and `2.5.4.35` are one type.
///
/// Built from the `attributeTypes` values of the directory's subschema entry
/// (RFC 4512 §4.1.2):
///
/// ```
/// AttributeTypeDescription = LPAREN WSP numericoid
///     [ SP "NAME" SP qdescrs ] [ SP "DESC" SP qdstring ] [ SP "OBSOLETE" ]
///     [ SP "SUP" SP oid ] [ SP "EQUALITY" SP oid ] [ SP "ORDERING" SP oid ]
///     [ SP "SUBSTR" SP oid ] [ SP "SYNTAX" SP noidlen ] [ SP "SINGLE-VALUE" ]
///     [ SP "COLLECTIVE" ] [ SP "NO-USER-MODIFICATION" ] [ SP "USAGE" SP usage ]
///     extensions WSP RPAREN
/// ```
public struct AttributeTypeRegistry: Sendable {
    /// One attribute type: its OID, its names (the first is its canonical spelling), its supertype.
    public struct AttributeType: Hashable, Sendable {
        public var oid: String
        public var names: [String]
        /// The supertype's OID or name, as the description gives it.
        public var superior: String?
        /// The syntax OID, without its length bound.
        public var syntax: String?

        /// The spelling Annuaire uses: the first name, or the OID for a type without one.
        public var canonicalName: String { names.first ?? oid }
    }

    /// The DN syntax (RFC 4517 §3.3.9).
    public static let distinguishedNameSyntax = "1.3.6.1.4.1.1466.115.121.1.12"

    private var byKey: [String: Int] = [:]
    public private(set) var types: [AttributeType] = []

    public init() {}

    /// A registry of the given attribute type descriptions (unparsable ones are skipped).
    public init(descriptions: [String]) {
        for description in descriptions {
            if let type = Self.parse(description) { add(type) }
        }
    }

    public mutating func add(_ type: AttributeType) {
        let index = types.count
        types.append(type)
        byKey[type.oid] = index
        for name in type.names { byKey[name.lowercased()] = index }
    }

    /// The type an attribute type spelling (a descr or numericoid, any case, no options) names.
    public func type(named spelling: some StringProtocol) -> AttributeType? {
        byKey[spelling.lowercased()].map { types[$0] }
    }

    /// Splits an attribute description into its type and its options (lower-cased, RFC 4512 §2.5).
    public func resolve(_ description: String) -> (type: AttributeType, options: [String])? {
        let parts = description.split(separator: ";", omittingEmptySubsequences: false)
        guard let first = parts.first, let type = type(named: first) else { return nil }
        return (type, parts.dropFirst().map { $0.lowercased() })
    }

    /// The canonical spelling of an attribute description (`2.5.4.35;Binary` → `userPassword;binary`),
    /// or nil for a type the directory does not know.
    public func canonical(_ description: String) -> String? {
        // Most descriptions carry no option: no split, no join (this runs for every attribute of every request).
        if !description.utf8.contains(UInt8(ascii: ";")) { return type(named: description)?.canonicalName }
        guard let (type, options) = resolve(description) else { return nil }
        return ([type.canonicalName] + options).joined(separator: ";")
    }

    /// Whether `type` is `ancestor` or one of its subtypes (RFC 4512 §2.5.1: a filter or attribute
    /// list naming a supertype reaches its subtypes).
    public func isSubtype(_ type: AttributeType, of ancestor: AttributeType) -> Bool {
        var current: AttributeType? = type
        var seen: Set<String> = []
        while let candidate = current, seen.insert(candidate.oid).inserted {
            if candidate.oid == ancestor.oid { return true }
            current = candidate.superior.flatMap { self.type(named: $0) }
        }
        return false
    }

    /// The types that `type` reaches: itself and every type below it.
    public func subtypes(of type: AttributeType) -> [AttributeType] {
        types.filter { isSubtype($0, of: type) }
    }

    /// Whether values of the type are DNs.
    public func hasDNSyntax(_ type: AttributeType) -> Bool {
        var current: AttributeType? = type
        var seen: Set<String> = []
        while let candidate = current, seen.insert(candidate.oid).inserted {
            if let syntax = candidate.syntax { return syntax == Self.distinguishedNameSyntax }
            current = candidate.superior.flatMap { self.type(named: $0) }
        }
        return false
    }

    // MARK: - Parsing

    /// Parses one RFC 4512 §4.1.2 description; nil if it has no numeric OID.
    public static func parse(_ description: String) -> AttributeType? {
        let tokens = tokenize(description)
        guard tokens.first == "(", tokens.count >= 2, AttributeDescription.isValidOID(Substring(tokens[1])),
              tokens[1].first?.isNumber == true
        else { return nil }
        var type = AttributeType(oid: tokens[1], names: [], superior: nil, syntax: nil)
        var index = 2
        func next() -> String? {
            guard index < tokens.count else { return nil }
            defer { index += 1 }
            return tokens[index]
        }
        while let token = next() {
            switch token.uppercased() {
            case "NAME":
                guard let value = next() else { break }
                if value == "(" {
                    while let name = next(), name != ")" { type.names.append(unquoted(name)) }
                } else {
                    type.names.append(unquoted(value))
                }
            case "SUP":
                type.superior = next().map(unquoted)
            case "SYNTAX":
                type.syntax = next().map { String(unquoted($0).prefix { $0 != "{" }) }
            default:
                break
            }
        }
        return type
    }

    private static func unquoted(_ token: String) -> String {
        token.count >= 2 && token.hasPrefix("'") && token.hasSuffix("'") ? String(token.dropFirst().dropLast()) : token
    }

    /// Parentheses, quoted strings (kept with their quotes) and bare words.
    private static func tokenize(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        var quoted = false
        for character in text {
            if quoted {
                current.append(character)
                if character == "'" {
                    tokens.append(current)
                    current = ""
                    quoted = false
                }
                continue
            }
            switch character {
            case "(", ")":
                if !current.isEmpty { tokens.append(current); current = "" }
                tokens.append(String(character))
            case "'":
                if !current.isEmpty { tokens.append(current); current = "" }
                current = "'"
                quoted = true
            case " ", "\t", "\n", "\r":
                if !current.isEmpty { tokens.append(current); current = "" }
            default:
                current.append(character)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }
}

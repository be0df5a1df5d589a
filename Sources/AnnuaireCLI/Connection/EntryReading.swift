import LDAPProtocol

/// Attribute values of a search result as text.
extension SearchResultEntry {
    func strings(_ type: String) -> [String] {
        values(of: type).map { String(decoding: $0, as: UTF8.self) }
    }

    func string(_ type: String) -> String? {
        strings(type).first
    }
}

extension String {
    /// Case-insensitive equality, enough for DNs as the server spells them.
    func caseInsensitiveEquals(_ other: String) -> Bool {
        lowercased() == other.lowercased()
    }
}

public import DirectoryBackend
import LDAPProtocol

extension DirectoryStore {
    /// Adds `ou=<name>` under `parent` and `count` organizational units under it (`ou=u0`…), in
    /// one transaction: a listing of more than 64 entries, the size at which slapd's pause of its
    /// thread pool ends a search in progress with `busy` (51). Returns the listing's base.
    @discardableResult
    public func addManyUnits(_ count: Int, named name: String = "many", under parent: String) async throws -> String {
        let base = "ou=\(name),\(parent)"
        try await transaction { writer in
            try writer.add(dn: base, attributes: [
                PartialAttribute(type: "objectClass", strings: ["organizationalUnit"]), PartialAttribute(type: "ou", strings: [name]),
            ])
            for index in 0..<count {
                try writer.add(dn: "ou=u\(index),\(base)", attributes: [
                    PartialAttribute(type: "objectClass", strings: ["organizationalUnit"]), PartialAttribute(type: "ou", strings: ["u\(index)"]),
                ])
            }
        }
        return base
    }
}

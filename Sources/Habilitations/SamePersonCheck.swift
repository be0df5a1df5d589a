import DirectoryBackend
import LDAPProtocol

/// Issue #16, item 6: before creating a person (R4), the open users who
/// already carry the same last name, first name and mailbox — a warning,
/// not a refusal (two people may share a name, and a shared mailbox is
/// refused by R4 anyway). Matching follows slapd's rules for the three
/// attributes (caseIgnoreMatch for the names, caseIgnoreIA5Match for mail).
public enum SamePersonCheck {
    /// The filter for `ou=people`: `(&(objectClass=annUser)(annStatus=open)(sn=…)(givenName=…)(mail=…))`.
    public static func filter(sn: String, givenName: String, mail: String) throws -> String {
        try SearchFilter.and([
            .equality("objectClass", Array(ObjectClassName.user.utf8)), .equality(AttributeName.status, Array(EntryStatus.open.rawValue.utf8)),
            .equality("sn", Array(sn.utf8)), .equality("givenName", Array(givenName.utf8)), .equality("mail", Array(mail.utf8)),
        ]).rfc4515String()
    }
}

extension HabilitationService {
    /// The identifiers of the open users with this name and mailbox (the portal warns before creating).
    public func openUsersLike(sn: String, givenName: String, mail: String) async throws -> [String] {
        try await store.searchAll(SearchQuery(
            base: layout.people, scope: .singleLevel, filter: try SamePersonCheck.filter(sn: sn, givenName: givenName, mail: mail),
            attributes: ["uid"]))
            .compactMap { EntrySnapshot($0).value("uid") }.sorted()
    }
}

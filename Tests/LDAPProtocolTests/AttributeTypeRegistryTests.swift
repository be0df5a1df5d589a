import LDAPProtocol
import Testing

/// RFC 4512 §2.5 and §4.1.2: a type has one identity whatever its spelling.
@Suite("Attribute types resolved from their descriptions")
struct AttributeTypeRegistryTests {
    static let registry = AttributeTypeRegistry(descriptions: [
        "( 2.5.4.41 NAME 'name' EQUALITY caseIgnoreMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15{32768} )",
        "( 2.5.4.3 NAME ( 'cn' 'commonName' ) DESC 'RFC4519: common name(s) for which the entity is known by' SUP name )",
        "( 2.5.4.35 NAME 'userPassword' DESC 'RFC4519/2307: password of user' EQUALITY octetStringMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.40{128} )",
        "( 0.9.2342.19200300.100.1.1 NAME ( 'uid' 'userid' ) EQUALITY caseIgnoreMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15{256} )",
        "( 2.5.4.11 NAME ( 'ou' 'organizationalUnitName' ) SUP name )",
        "( 2.5.4.49 NAME 'distinguishedName' EQUALITY distinguishedNameMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.12 )",
        "( 2.5.4.31 NAME 'member' SUP distinguishedName )",
        "( 1.3.6.1.4.1.42.2.27.8.1.20 NAME 'pwdHistory' DESC 'The history of users passwords' EQUALITY octetStringMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.40 NO-USER-MODIFICATION USAGE directoryOperation )",
        "( 2.25.1.2.3 NAME 'annLabel' DESC 'a label with ( parentheses ) and a \\27quote' SUP name )",
        "not a description",
    ])

    @Test("a name, an alias, the OID, any case and options all resolve to one type, written by its first name")
    func spellings() throws {
        for spelling in ["userPassword", "USERPASSWORD", "2.5.4.35", "userpassword;binary", "2.5.4.35;Binary"] {
            let (type, _) = try #require(Self.registry.resolve(spelling), "\(spelling)")
            #expect(type.oid == "2.5.4.35")
        }
        #expect(Self.registry.canonical("2.5.4.35;Binary") == "userPassword;binary")
        #expect(Self.registry.canonical("commonName") == "cn")
        #expect(Self.registry.canonical("1.3.6.1.4.1.42.2.27.8.1.20") == "pwdHistory")
        #expect(Self.registry.canonical("noSuchType") == nil)
        #expect(Self.registry.canonical("annlabel") == "annLabel")
    }

    @Test("supertypes reach their subtypes, and DN syntax is inherited")
    func hierarchy() throws {
        let name = try #require(Self.registry.type(named: "name"))
        let cn = try #require(Self.registry.type(named: "cn"))
        let password = try #require(Self.registry.type(named: "userPassword"))
        #expect(Self.registry.isSubtype(cn, of: name))
        #expect(!Self.registry.isSubtype(password, of: name))
        #expect(Self.registry.subtypes(of: name).map(\.oid).contains("2.5.4.3"))
        #expect(Self.registry.hasDNSyntax(try #require(Self.registry.type(named: "member"))))
        #expect(!Self.registry.hasDNSyntax(cn))
    }

    @Test("a DN's RDN types are written by their canonical names; values, escapes and unknown types are kept")
    func distinguishedNames() {
        #expect(Self.registry.canonicalDN("0.9.2342.19200300.100.1.1=XXX0606XX01,OU=People,dc=annuaire") == "uid=XXX0606XX01,ou=People,dc=annuaire")
        #expect(Self.registry.canonicalDN("CN=a\\,2.5.4.3=b,ou=x") == "cn=a\\,2.5.4.3=b,ou=x")
        #expect(Self.registry.canonicalDN("cn=a+2.5.4.11=b ,  commonName = c") == "cn=a+ou=b ,cn= c")
        #expect(Self.registry.canonicalDN("") == "")
        #expect(Self.registry.canonicalDN("dc=x") == "dc=x")
    }
}

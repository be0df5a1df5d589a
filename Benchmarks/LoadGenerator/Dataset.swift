import Foundation

/// The synthetic directory: partners × conventions × groups × users, derived
/// from the user count alone so that the LDIF generator and the load
/// generator agree without sharing files.
///
/// - 500 users per convention, 2 conventions per partner (1,000 users per partner);
/// - 5 groups per convention (`G1`…`G5`, 100 members each, role `T1` of service `CDAP`);
/// - user `i` is `uid=U<i, 7 digits>`, member of group `G<i % 5 + 1>` (one membership entry each);
/// - the first user of each convention administers it and is responsible for its groups;
/// - every 500th user (`i % 500 == 1`) has an `{ARGON2}` password, all others `{SSHA}`;
///   the password is the same for every account.
struct Dataset: Sendable {
    static let suffix = "dc=annuaire,dc=local"
    static let usersPerConvention = 500
    static let conventionsPerPartner = 2
    static let groupsPerConvention = 5
    static let operatorDN = "uid=operateur,ou=operators,\(suffix)"
    static let password = "Annuaire-Demo-2026"
    /// The demo fixture's argon2 hash of `password` (argon2i, m=4096, t=3, p=1: slapd's default parameters).
    static let argon2Hash = "{ARGON2}$argon2i$v=19$m=4096,t=3,p=1$aI8Cqw678kn9/U1UCQwNUA$cjfhNRTcnfNrZKiWQmgb5LILvhe+B5HtXh27dJWHoRI"
    static let profileDN = "cn=T1,cn=CDAP,ou=services,\(suffix)"

    let users: Int

    init(users: Int) {
        precondition(users >= Self.usersPerConvention && users % Self.usersPerConvention == 0,
                     "the user count must be a multiple of \(Self.usersPerConvention)")
        self.users = users
    }

    var conventions: Int { users / Self.usersPerConvention }
    var partners: Int { (conventions + Self.conventionsPerPartner - 1) / Self.conventionsPerPartner }

    static func uid(_ i: Int) -> String {
        let digits = String(i)
        return "U" + String(repeating: "0", count: max(0, 7 - digits.count)) + digits
    }
    static func userDN(_ i: Int) -> String { "uid=\(uid(i)),ou=people,\(suffix)" }
    static func isArgon2(_ i: Int) -> Bool { i % usersPerConvention == 1 }
    static func partnerCode(_ p: Int) -> String { "P" + String(format: "%05d", p) }
    static func partnerDN(_ p: Int) -> String { "cn=\(partnerCode(p)),ou=partners,\(suffix)" }
    /// Convention `c` (global index) belongs to partner `c / conventionsPerPartner`.
    static func conventionDN(_ c: Int) -> String {
        "cn=CONV-\(String(format: "%05d", c)),\(partnerDN(c / conventionsPerPartner))"
    }
    static func groupDN(convention c: Int, group g: Int) -> String { "cn=G\(g + 1),\(conventionDN(c))" }
    static func convention(ofUser i: Int) -> Int { i / usersPerConvention }
    static func group(ofUser i: Int) -> Int { i % groupsPerConvention }

    /// A user with a fast hash (not argon2, not a convention administrator).
    func fastUser(_ random: inout SplitMix) -> Int {
        while true {
            let i = random.next(below: users)
            if !Self.isArgon2(i) && i % Self.usersPerConvention != 0 { return i }
        }
    }

    func argon2User(_ random: inout SplitMix) -> Int {
        random.next(below: conventions) * Self.usersPerConvention + 1
    }

    /// Writes the content LDIF for `slapadd -q -n1` on top of the base that
    /// `annuaire serve` writes on a first start (suffix, ou=*, counters, policy).
    func writeLDIF(to path: String, sshaHash: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw BenchError("cannot write \(path)")
        }
        defer { try? handle.close() }
        var out = ""
        out.reserveCapacity(1 << 20)
        func flush(force: Bool = false) {
            if force || out.utf8.count > 1 << 20 {
                handle.write(Data(out.utf8))
                out.removeAll(keepingCapacity: true)
            }
        }
        let s = Self.suffix
        out += """
        dn: cn=CDAP,ou=services,\(s)
        objectClass: annService
        cn: CDAP
        annLabel: Consulter Dossier

        dn: cn=T1,cn=CDAP,ou=services,\(s)
        objectClass: annProfile
        cn: T1
        annLabel: Profil T1

        dn: cn=T2,cn=CDAP,ou=services,\(s)
        objectClass: annProfile
        cn: T2
        annLabel: Profil T2

        dn: cn=BAILLEUR-SOCIAL,ou=partnerTypes,\(s)
        objectClass: annPartnerType
        cn: BAILLEUR-SOCIAL
        annLabel: Bailleur social

        dn: \(Self.operatorDN)
        objectClass: inetOrgPerson
        objectClass: annOperator
        uid: operateur
        cn: Centre de Services
        sn: Operateur
        annLabel: Centre de Services
        userPassword: \(sshaHash)


        """
        for p in 0..<partners {
            out += """
            dn: \(Self.partnerDN(p))
            objectClass: annPartner
            cn: \(Self.partnerCode(p))
            annLabel: Partenaire \(p)
            annPartnerType: cn=BAILLEUR-SOCIAL,ou=partnerTypes,\(s)


            """
        }
        for c in 0..<conventions {
            let conventionDN = Self.conventionDN(c)
            out += """
            dn: \(conventionDN)
            objectClass: annConvention
            cn: CONV-\(String(format: "%05d", c))
            annLabel: Convention \(c)
            annOpenDate: 20170101000000Z
            annStatus: open
            annGrantedProfile: \(Self.profileDN)
            annGrantedProfile: cn=T2,cn=CDAP,ou=services,\(s)


            """
            let first = c * Self.usersPerConvention
            for i in first..<first + Self.usersPerConvention {
                let uid = Self.uid(i)
                let isAdministrator = i == first
                out += """
                dn: uid=\(uid),ou=people,\(s)
                objectClass: inetOrgPerson
                objectClass: annUser
                uid: \(uid)
                sn: NOM\(uid)
                givenName: Prenom\(i)
                cn: Prenom\(i) NOM\(uid)
                mail: \(uid.lowercased())@partenaire-\(c / Self.conventionsPerPartner).fr
                telephoneNumber: 04.00.00.00.00
                annOpenDate: 20200101000000Z
                annStatus: open
                annWorkMode: sedentary
                annConvention: \(conventionDN)

                """
                if isAdministrator {
                    out += "annAdministers: \(conventionDN)\n"
                } else {
                    out += "memberOf: \(Self.groupDN(convention: c, group: Self.group(ofUser: i)))\nannHabilitation: \(Self.profileDN)\n"
                }
                out += "userPassword: \(Self.isArgon2(i) ? Self.argon2Hash : sshaHash)\n\n"
                flush()
            }
            for g in 0..<Self.groupsPerConvention {
                let groupDN = Self.groupDN(convention: c, group: g)
                out += """
                dn: \(groupDN)
                objectClass: annGroup
                cn: G\(g + 1)
                annLabel: Groupe \(g + 1)
                annOpenDate: 20200101000000Z
                annLevel: 1
                annStatus: open
                annResponsible: \(Self.userDN(first))
                annRole: \(Self.profileDN)

                """
                var members = [Int]()
                for i in stride(from: first + g, to: first + Self.usersPerConvention, by: Self.groupsPerConvention) where i != first {
                    members.append(i)
                    out += "member: \(Self.userDN(i))\n"
                }
                out += "\n"
                for i in members {
                    out += """
                    dn: annMemberUid=\(Self.uid(i)),\(groupDN)
                    objectClass: annMembership
                    annMemberUid: \(Self.uid(i))
                    annMember: \(Self.userDN(i))
                    annOpenDate: 20200101000000Z
                    annStatus: open


                    """
                }
                flush()
            }
        }
        flush(force: true)
    }
}

/// A small, fast, per-thread random generator (no locks, reproducible per seed).
struct SplitMix: Sendable {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func next(below n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// OpenLDAP's change sequence number (the `entryCSN` of an entry, the `contextCSN` values of a
/// replicated suffix; RFC 4533 leaves its form to the server): `YYYYmmddHHMMSS.uuuuuuZ#count#sid#mod`,
/// the serverID (`olcServerID`) of the provider that made the change in three hexadecimal digits.
/// A standalone slapd (no serverID) writes `000`.
public enum ChangeSequenceNumber {
    /// The serverID of the provider that made the change, or nil if `csn` is not a CSN.
    public static func serverID(of csn: String) -> Int? {
        let fields = csn.split(separator: "#", omittingEmptySubsequences: false)
        guard fields.count == 4, fields[2].count == 3 else { return nil }
        return Int(fields[2], radix: 16)
    }
}

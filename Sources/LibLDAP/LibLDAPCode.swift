/// A libldap return code that is not an LDAP result (negative API codes included).
package struct LibLDAPCode: Error {
    package let rawValue: Int32
    package init(_ rawValue: Int32) { self.rawValue = rawValue }
}

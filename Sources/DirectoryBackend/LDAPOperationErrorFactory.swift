import LDAPProtocol

/// Errors the backend raises itself rather than relays from slapd.
enum LDAPOperationErrorFactory {
    static let busyPagedSearch = LDAPOperationError(
        .busy, "a page of this paged search is already being read; wait for it before asking for the next one")
}

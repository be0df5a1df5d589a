import CLDAP
import Glibc

/// Setting up a libldap handle (`LDAP *`) as both wrappers do: opening it
/// (LDAPv3, RFC 4511 §4.2; referrals not chased), trusting a CA file for TLS,
/// StartTLS (RFC 4511 §4.14), the SASL EXTERNAL bind (RFC 4422 Appendix A,
/// optionally asserting an authorization identity, §3.4.1) and closing it.
/// Each call answers libldap's code; the wrapper says what a failure becomes.
package enum LibLDAPHandle {
    /// Opens a handle on `uri` with `networkTimeoutSeconds` to connect; libldap's code when the URI is unusable.
    package static func open(_ uri: String, networkTimeoutSeconds: Int) -> Result<OpaquePointer, LibLDAPCode> {
        var ld: OpaquePointer?
        let rc = ldap_initialize(&ld, uri)
        guard rc == LDAP_SUCCESS, let ld else { return .failure(LibLDAPCode(rc)) }
        var version = LDAP_VERSION3
        ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version)
        ldap_set_option(ld, LDAP_OPT_REFERRALS, nil) // LDAP_OPT_OFF
        var networkTimeout = timeval(tv_sec: networkTimeoutSeconds, tv_usec: 0)
        ldap_set_option(ld, LDAP_OPT_NETWORK_TIMEOUT, &networkTimeout)
        // TCP keepalive: a link whose peer vanished without a reset (a network cut, a host gone)
        // is found broken after ~16 s of silence instead of never (no effect on ldapi).
        var keepaliveIdle: Int32 = 10, keepaliveProbes: Int32 = 3, keepaliveInterval: Int32 = 2
        ldap_set_option(ld, LDAP_OPT_X_KEEPALIVE_IDLE, &keepaliveIdle)
        ldap_set_option(ld, LDAP_OPT_X_KEEPALIVE_PROBES, &keepaliveProbes)
        ldap_set_option(ld, LDAP_OPT_X_KEEPALIVE_INTERVAL, &keepaliveInterval)
        return .success(ld)
    }

    /// Trusts the PEM CA certificates of `file` for this handle's TLS (a new TLS context);
    /// false when libldap cannot load them (check `isReadable` first to tell a missing file).
    package static func trustCertificates(in file: String, _ ld: OpaquePointer) -> Bool {
        let setRC = file.withCString { path in ldap_set_option(ld, LDAP_OPT_X_TLS_CACERTFILE, UnsafeRawPointer(path)) }
        var isServer: Int32 = 0
        let contextRC = ldap_set_option(ld, LDAP_OPT_X_TLS_NEWCTX, &isServer)
        return setRC == LDAP_OPT_SUCCESS && contextRC == LDAP_OPT_SUCCESS
    }

    /// Whether `file` can be read at all (to tell a missing file from a bad one).
    package static func isReadable(_ file: String) -> Bool { access(file, R_OK) == 0 }

    /// StartTLS on the handle, before any bind.
    package static func startTLS(_ ld: OpaquePointer) -> Int32 {
        ldap_start_tls_s(ld, nil, nil)
    }

    /// A SASL EXTERNAL bind (the peer's credentials over ldapi, or its TLS certificate), asserting
    /// `authorizationDN` ("dn:<dn>", answered to SASL_CB_USER) when given.
    package static func bindSASLExternal(_ ld: OpaquePointer, authorizationDN: String?) -> Int32 {
        guard let dn = authorizationDN else {
            // EXTERNAL needs no interaction: the callback has nothing to fill in.
            return ldap_sasl_interactive_bind_s(ld, nil, "EXTERNAL", nil, nil, UInt32(LDAP_SASL_QUIET), { _, _, _, _ in LDAP_SUCCESS }, nil)
        }
        return ("dn:" + dn).withCString { authzid in
            ldap_sasl_interactive_bind_s(
                ld, nil, "EXTERNAL", nil, nil, UInt32(LDAP_SASL_QUIET), annuaire_sasl_external_interact,
                UnsafeMutableRawPointer(mutating: authzid))
        }
    }

    /// Connects now (no bind), so that a server still starting is met here.
    package static func connect(_ ld: OpaquePointer) -> Int32 {
        ldap_connect(ld)
    }

    /// Unbinds (RFC 4511 §4.3) and frees the handle.
    package static func close(_ ld: OpaquePointer) {
        ldap_unbind_ext(ld, nil, nil)
    }
}

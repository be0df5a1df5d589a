/* CLDAP: the OpenLDAP client library (libldap, liblber) as seen from Swift.
 * Only the modern, non-deprecated API (the _ext and ldap_sasl_bind calls) is used. */
#ifndef ANNUAIRE_CLDAP_SHIM_H
#define ANNUAIRE_CLDAP_SHIM_H
#include <string.h>
#include <lber.h>
#include <ldap.h>
#include <sasl/sasl.h>

/* The SASL interaction of an EXTERNAL bind (RFC 4422 Appendix A): the
 * authorization identity (SASL_CB_USER) is `defaults`, a C string such as
 * "dn:cn=annuaire-frontend,dc=annuaire,dc=local", or none when it is NULL;
 * every other prompt is answered empty. */
static inline int annuaire_sasl_external_interact(LDAP *ld, unsigned flags, void *defaults, void *in) {
    (void)ld;
    (void)flags;
    sasl_interact_t *interact = (sasl_interact_t *)in;
    for (; interact != NULL && interact->id != SASL_CB_LIST_END; interact++) {
        const char *answer = (interact->id == SASL_CB_USER && defaults != NULL) ? (const char *)defaults : "";
        interact->result = answer;
        interact->len = (unsigned)strlen(answer);
    }
    return LDAP_SUCCESS;
}
#endif

/* CLDAP: the OpenLDAP client library (libldap, liblber) as seen from Swift.
 * Only the modern, non-deprecated API (the _ext and ldap_sasl_bind calls) is used. */
#ifndef ANNUAIRE_CLDAP_SHIM_H
#define ANNUAIRE_CLDAP_SHIM_H
#include <lber.h>
#include <ldap.h>
#endif

#!/usr/bin/env python3
"""python-ldap's password policy control (draft-behera-ldap-password-policy)
against Annuaire, decoded by python-ldap's own PasswordPolicyControl class.

    python_ldap_ppolicy.py bind DN            simple bind with the request control
    python_ldap_ppolicy.py replace DN NEWPW   bind, then Modify replace userPassword
                                              (no current value) with the control

Environment: LDAP_URL, USER_PASSWORD (the password to bind with).
Prints one JSON object: result code, and the control's error name and warnings.
Exit status: the LDAP result code of the last operation (0: success), as
ldapwhoami's; 2 when an answer carries no result code; a traceback (1) for
anything else.
"""
import json
import os
import sys

import ldap
from ldap.controls import DecodeControlTuples
from ldap.controls.ppolicy import PasswordPolicyControl

ERRORS = {0: "passwordExpired", 1: "accountLocked", 2: "changeAfterReset", 3: "passwordModNotAllowed",
          4: "mustSupplyOldPassword", 5: "insufficientPasswordQuality", 6: "passwordTooShort",
          7: "passwordTooYoung", 8: "passwordInHistory"}


def policy(controls):
    """The decoded ppolicy response control among `controls`, as a dict."""
    for control in controls or []:
        if isinstance(control, PasswordPolicyControl):
            return {"present": True, "error": ERRORS.get(control.error) if control.error is not None else None,
                    "time_before_expiration": control.timeBeforeExpiration, "grace_auth_ns_remaining": control.graceAuthNsRemaining}
    return {"present": False, "error": None}


def failed(error):
    info = error.args[0] if error.args and isinstance(error.args[0], dict) else {}
    controls = DecodeControlTuples(info.get("ctrls", []), {PasswordPolicyControl.controlType: PasswordPolicyControl})
    return {"result": info.get("result"), "info": info.get("info", ""), "policy": policy(controls)}


def main():
    action, dn = sys.argv[1], sys.argv[2]
    conn = ldap.initialize(os.environ["LDAP_URL"])
    conn.protocol_version = 3
    conn.set_option(ldap.OPT_NETWORK_TIMEOUT, 10)
    report = {"action": action}
    try:
        msgid = conn.simple_bind(dn, os.environ["USER_PASSWORD"], serverctrls=[PasswordPolicyControl()])
        _, _, _, controls = conn.result3(msgid, resp_ctrl_classes={PasswordPolicyControl.controlType: PasswordPolicyControl})
        report["bind"] = {"result": 0, "policy": policy(controls)}
    except ldap.LDAPError as error:
        report["bind"] = failed(error)
        print(json.dumps(report))
        return status(report["bind"])
    if action == "replace":
        try:
            msgid = conn.modify_ext(dn, [(ldap.MOD_REPLACE, "userPassword", [sys.argv[3].encode()])],
                                    serverctrls=[PasswordPolicyControl()])
            _, _, _, controls = conn.result3(msgid, resp_ctrl_classes={PasswordPolicyControl.controlType: PasswordPolicyControl})
            report["modify"] = {"result": 0, "policy": policy(controls)}
        except ldap.LDAPError as error:
            report["modify"] = failed(error)
    print(json.dumps(report))
    return status(report.get("modify", report["bind"]))


def status(outcome):
    """The exit status for an operation's outcome: its result code, 2 when it has none."""
    code = outcome.get("result")
    return code if isinstance(code, int) else 2


if __name__ == "__main__":
    sys.exit(main())

"""A real SMTP submission server for the mail tests: aiosmtpd on loopback
with STARTTLS required and AUTH PLAIN/LOGIN checked against one account.

    python3 smtp_server.py PORT OUTDIR CERT KEY USER PASSWORD_FILE

Each accepted message is written to OUTDIR/<n>.json with the envelope,
whether the session was under TLS, the authenticated login and the data.
Prints "READY <port>" once listening; stops when its standard input closes.
"""
import json
import os
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

port, outdir, cert, key, user, password_file = sys.argv[1:7]
with open(password_file, encoding="utf-8") as f:
    password = f.read().strip()

lock = threading.Lock()
count = [0]


class Handler:
    async def handle_DATA(self, server, session, envelope):
        with lock:
            count[0] += 1
            n = count[0]
        login = getattr(session, "checked_login", None)
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": session.ssl is not None,
            "login": login,
            "data": envelope.content.decode("utf-8", "replace"),
        }
        path = os.path.join(outdir, f"{n}.json")
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            json.dump(record, f)
        os.rename(path + ".tmp", path)
        return "250 Message accepted for delivery"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == user.encode() and auth_data.password == password.encode()
    if ok:
        session.checked_login = user
    return AuthResult(success=ok, handled=False)


context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(cert, key)
controller = Controller(
    Handler(), hostname="127.0.0.1", port=int(port), authenticator=authenticator,
    auth_require_tls=True, require_starttls=True, tls_context=context,
)
controller.start()
print(f"READY {controller.port}", flush=True)
sys.stdin.read()
controller.stop()

"""A real SMTP server for the tests (aiosmtpd): each accepted message is written as a JSON
file into MAILDIR. Options: --starttls CERT KEY (STARTTLS required), --smtps CERT KEY
(implicit TLS), --auth USER:PASS (AUTH required). Prints READY once it listens."""
import argparse
import json
import os
import signal
import ssl
import threading
import uuid

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

parser = argparse.ArgumentParser()
parser.add_argument("port", type=int)
parser.add_argument("maildir")
parser.add_argument("--starttls", nargs=2)
parser.add_argument("--smtps", nargs=2)
parser.add_argument("--auth")
args = parser.parse_args()


class Handler:
    async def handle_DATA(self, server, session, envelope):
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "data": envelope.content.decode("utf-8", "replace"),
            "authenticated": bool(session.authenticated),
            # STARTTLS sets session.ssl; implicit TLS shows in the transport.
            "tls": session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None,
        }
        name = uuid.uuid4().hex
        tmp = os.path.join(args.maildir, "." + name)
        with open(tmp, "w") as f:
            json.dump(record, f)
        os.rename(tmp, os.path.join(args.maildir, name + ".json"))
        return "250 Message accepted for delivery"


def authenticator(server, session, envelope, mechanism, auth_data):
    user, password = args.auth.split(":", 1)
    ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password
    return AuthResult(success=ok)


def context(pair):
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(pair[0], pair[1])
    return ctx


kwargs = {}
if args.starttls:
    kwargs.update(tls_context=context(args.starttls), require_starttls=True)
if args.auth:
    kwargs.update(authenticator=authenticator, auth_required=True, auth_require_tls=bool(args.starttls or args.smtps))
server_kwargs = {"ssl_context": context(args.smtps)} if args.smtps else {}
controller = Controller(Handler(), hostname="127.0.0.1", port=args.port, server_kwargs=kwargs, **server_kwargs)
controller.start()
print("READY", flush=True)
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
stop.wait()
controller.stop()

"""A real SMTP server for tests: aiosmtpd's Controller on a free local port, in the test process. It keeps
what arrives (parsed) and refuses recipients at the domains in `refuse` the way a server refuses an
unknown mailbox (550), which is how the app sees a bouncing address."""

from __future__ import annotations

import re
import socket
import ssl
import subprocess
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

LINK = re.compile(r"https?://[^\s<>\"]+")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 (and localhost) signed by itself, and its key, made by openssl."""
    cert, key = directory / "smtp-cert.pem", directory / "smtp-key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


class Mailbox:
    """`start()` a plain server; `start_tls(cert, key, users)` one that requires STARTTLS and then AUTH
    (LOGIN or PLAIN) with one of `users` (name: password) before it takes a mail."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.raw: list[bytes] = []  # each mail as it arrived
        self.sessions: list[tuple[bool, str | None]] = []  # per mail: over TLS, the login it came with
        self.logins: list[tuple[str, str, bool]] = []  # every AUTH tried: mechanism, user, accepted
        self.refuse: set[str] = set()
        self.users: dict[str, str] = {}
        self._lock = threading.Lock()
        self.controller: Controller | None = None

    # aiosmtpd handler hooks
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.rsplit("@", 1)[-1].lower() in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(message)
            self.raw.append(envelope.original_content or envelope.content)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            login = session.auth_data.login.decode() if session.authenticated else None
            self.sessions.append((session.ssl is not None, login))
        return "250 Message accepted for delivery"

    def authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        user, password = auth_data.login.decode(), auth_data.password.decode()
        accepted = user in self.users and self.users[user] == password
        with self._lock:
            self.logins.append((mechanism, user, accepted))
        return AuthResult(success=accepted, auth_data=auth_data if accepted else None, handled=False)

    def start(self) -> str:
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port(), enable_SMTPUTF8=True)
        self.controller.start()
        return f"smtp://127.0.0.1:{self.controller.port}"

    def start_tls(self, cert: Path, key: Path, users: dict[str, str], mechanisms: tuple[str, ...]) -> int:
        """A server on a free port that offers STARTTLS with `cert`, requires it, and then requires AUTH by
        one of `mechanisms` (LOGIN, PLAIN) before MAIL FROM. Returns the port."""
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        self.users = dict(users)
        excluded = {"LOGIN", "PLAIN"} - set(mechanisms)
        self.controller = Controller(
            self,
            hostname="127.0.0.1",
            port=free_port(),
            tls_context=context,
            require_starttls=True,
            authenticator=self.authenticate,
            auth_required=True,
            auth_require_tls=True,
            auth_exclude_mechanism=excluded,
        )
        self.controller.start()
        return self.controller.port

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()

    def to(self, address: str) -> list[EmailMessage]:
        with self._lock:
            return [m for m in self.messages if m["To"] == address]


def text_part(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def html_part(message: EmailMessage) -> str:
    return message.get_body(("html",)).get_content()


def links(message: EmailMessage) -> list[str]:
    return LINK.findall(text_part(message))


def path_of(url: str) -> str:
    """The local path of a link in a mail (the test client talks to the app, not to PUBLIC_URL)."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")

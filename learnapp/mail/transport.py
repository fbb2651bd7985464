"""How a mail leaves: SMTP (smtplib, with STARTTLS or implicit TLS) when configured, else the log.

Settings: MAIL_URL (`smtp://`, `smtp+starttls://` or `smtps://`, with `user:password@host:port`), or
MAIL_HOST, MAIL_PORT, MAIL_USERNAME, MAIL_PASSWORD and MAIL_TLS (`none`, `starttls`, `ssl`). With neither,
mails go to the log (and stay in the outbox table for the admin's page): `make run` works offline.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any
from urllib.parse import unquote, urlsplit

log = logging.getLogger("learnapp.mail")

TLS_MODES = ("none", "starttls", "ssl")
_SCHEMES = {"smtp": "none", "smtp+starttls": "starttls", "smtps": "ssl"}
_DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}


class DeliveryError(Exception):
    """The mail did not leave. `permanent`: the server refused it for good (a bouncing or invalid
    address); otherwise it may work later (server down, a 4xx answer)."""

    def __init__(self, message: str, permanent: bool) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


@dataclass(frozen=True)
class SMTPSettings:
    host: str
    port: int
    tls: str
    username: str | None
    password: str | None
    timeout: float


def smtp_settings(config: dict[str, Any]) -> SMTPSettings | None:
    """SMTP settings from MAIL_URL or MAIL_HOST and friends; None means the embedded default (the log)."""
    timeout = float(config.get("MAIL_TIMEOUT_S") or 10)
    if url := config.get("MAIL_URL"):
        parts = urlsplit(url)
        if parts.scheme not in _SCHEMES or not parts.hostname:
            raise ValueError("MAIL_URL must look like smtp+starttls://user:password@host:587")
        tls = _SCHEMES[parts.scheme]
        return SMTPSettings(
            host=parts.hostname,
            port=parts.port or _DEFAULT_PORTS[tls],
            tls=tls,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            timeout=timeout,
        )
    if host := config.get("MAIL_HOST"):
        tls = (config.get("MAIL_TLS") or "starttls").lower()
        if tls not in TLS_MODES:
            raise ValueError(f"MAIL_TLS must be one of {', '.join(TLS_MODES)}")
        return SMTPSettings(
            host=host,
            port=int(config.get("MAIL_PORT") or _DEFAULT_PORTS[tls]),
            tls=tls,
            username=config.get("MAIL_USERNAME") or None,
            password=config.get("MAIL_PASSWORD") or None,
            timeout=timeout,
        )
    return None


def send_smtp(settings: SMTPSettings, message: EmailMessage) -> None:
    """Hand the message to the SMTP server; raise DeliveryError (permanent or not) when it is refused."""
    context = ssl.create_default_context()
    try:
        if settings.tls == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=settings.timeout, context=context
            )
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        with client:
            _start_tls_and_log_in(client, settings, context)
            refused = client.send_message(message)
    except smtplib.SMTPRecipientsRefused as error:
        code, answer = next(iter(error.recipients.values()))
        raise DeliveryError(_answer(code, answer), permanent=code >= 500) from None
    except smtplib.SMTPResponseException as error:
        raise DeliveryError(
            _answer(error.smtp_code, error.smtp_error), permanent=error.smtp_code >= 500
        ) from None
    except smtplib.SMTPNotSupportedError as error:  # e.g. a non-ASCII address and no SMTPUTF8
        raise DeliveryError(f"The mail server cannot take this address: {error}", permanent=True) from None
    except (smtplib.SMTPException, OSError) as error:
        raise DeliveryError(f"Could not reach the mail server: {error}", permanent=False) from None
    if refused:  # some recipients refused (we send to one, so this is rare)
        code, answer = next(iter(refused.values()))
        raise DeliveryError(_answer(code, answer), permanent=code >= 500)


def _start_tls_and_log_in(client: smtplib.SMTP, settings: SMTPSettings, context: ssl.SSLContext) -> None:
    """STARTTLS and AUTH as configured. What goes wrong here is the server's settings' or ours, never the
    recipient's: a DeliveryError that is not permanent (it does not count against the address), saying
    which setting to look at."""
    try:
        if settings.tls == "starttls":
            client.starttls(context=context)
        if settings.username:
            client.login(settings.username, settings.password or "")
    except smtplib.SMTPAuthenticationError as error:
        answer = _answer(error.smtp_code, error.smtp_error)
        raise DeliveryError(
            f"The mail server refused the login of {settings.username!r} (check MAIL_USERNAME and "
            f"MAIL_PASSWORD, or the user and password in MAIL_URL): {answer}",
            permanent=False,
        ) from None
    except ssl.SSLCertVerificationError as error:
        raise DeliveryError(
            "The mail server's certificate is not trusted (a private relay's certificate authority goes in "
            f"SSL_CERT_FILE): {error}",
            permanent=False,
        ) from None
    except smtplib.SMTPNotSupportedError as error:  # no STARTTLS, or no AUTH, offered
        raise DeliveryError(
            f"The mail server does not offer what the settings ask for (MAIL_TLS, MAIL_USERNAME): {error}",
            permanent=False,
        ) from None
    except smtplib.SMTPException as error:  # e.g. no AUTH mechanism in common
        raise DeliveryError(f"Could not log in to the mail server: {error}", permanent=False) from None


def _answer(code: int, answer: bytes | str) -> str:
    text = answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)
    return f"{code} {text}".strip()[:500]


def write_to_log(message: EmailMessage, text_body: str) -> None:
    """The embedded default: the mail, with its plain part (and so its links), in the server log."""
    log.info(
        "mail (not sent: no SMTP configured; see /admin/outbox)\nTo: %s\nSubject: %s\n\n%s",
        message["To"],
        message["Subject"],
        text_body,
    )


def install_log() -> None:
    """Show the log transport's mails on stderr when nothing else configured logging (`flask run`)."""
    if not log.hasHandlers():  # the app's own JSON log (learnapp/observability.py) normally has it
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s: %(message)s"))
        log.addHandler(handler)
    if log.level == logging.NOTSET:
        log.setLevel(logging.INFO)

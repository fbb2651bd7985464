"""SMTP with STARTTLS and AUTH against a real server (aiosmtpd with a self-signed certificate made by openssl
in the test, trusted through SSL_CERT_FILE as an operator would trust a private relay's): the mail goes
over TLS with the configured user and password, by AUTH LOGIN or PLAIN; a wrong password, a server that
does not offer STARTTLS and a certificate nobody trusts are each reported on the outbox row in words that
name the setting to check, and none counts against the learner's address."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from sqlalchemy import select

from learnapp.extensions import db
from learnapp.jobs.runner import runner_of
from learnapp.models import Job, OutboxMail, User
from tests.mailbox import Mailbox, self_signed_certificate, text_part

USER, PASSWORD = "huanying@relay.example", "s3cret pass:word"


def _outbox() -> list[OutboxMail]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMail).order_by(OutboxMail.id)))


def _failures() -> int:
    db.session.expire_all()
    return db.session.scalar(select(User.mail_failures).where(User.username_key == "mei"))


@pytest.fixture
def certificate(tmp_path, monkeypatch):
    cert, key = self_signed_certificate(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # OpenSSL's default trust store, read per context
    return cert, key


def _relay(request, certificate, mechanisms=("LOGIN", "PLAIN")) -> Mailbox:
    box = Mailbox()
    port = box.start_tls(*certificate, users={USER: PASSWORD}, mechanisms=mechanisms)
    request.addfinalizer(box.stop)
    box.port = port
    return box


def _deliveries(app, box: Mailbox):
    runner_of(app).drain()
    return list(box.messages)


@pytest.mark.parametrize("mechanism", ["LOGIN", "PLAIN"])
def test_mail_goes_over_starttls_with_the_configured_login(app, auth, request, certificate, mechanism):
    box = _relay(request, certificate, mechanisms=(mechanism,))
    app.config["MAIL_URL"] = (
        f"smtp+starttls://{quote(USER, safe='')}:{quote(PASSWORD, safe='')}@127.0.0.1:{box.port}"
    )
    assert auth.signup().status_code == 303
    [message] = _deliveries(app, box)
    assert message["To"] == "mei@example.com"
    assert "/verify/" in text_part(message)
    assert box.sessions == [(True, USER)]  # over TLS, logged in as the configured user
    assert box.logins == [(mechanism, USER, True)]
    [mail] = _outbox()
    assert (mail.status, mail.error) == ("sent", "")


def test_the_host_settings_log_in_the_same_way(app, auth, request, certificate):
    box = _relay(request, certificate)
    app.config.pop("MAIL_URL", None)
    app.config |= {
        "MAIL_HOST": "127.0.0.1",
        "MAIL_PORT": str(box.port),
        "MAIL_TLS": "starttls",
        "MAIL_USERNAME": USER,
        "MAIL_PASSWORD": PASSWORD,
    }
    auth.signup()
    assert len(_deliveries(app, box)) == 1
    assert box.sessions == [(True, USER)]


def test_a_wrong_password_is_refused_and_reported_not_counted_against_the_address(
    app, auth, request, certificate
):
    box = _relay(request, certificate)
    app.config["MAIL_URL"] = f"smtp+starttls://{quote(USER, safe='')}:wrong@127.0.0.1:{box.port}"
    assert auth.signup().status_code == 303  # sign-up itself goes on
    assert _deliveries(app, box) == []
    assert {(user, accepted) for _, user, accepted in box.logins} == {(USER, False)}  # each mechanism tried
    [mail] = _outbox()
    assert mail.status == "failed"
    assert mail.error.startswith(f"The mail server refused the login of '{USER}'")
    assert "MAIL_PASSWORD" in mail.error and "535" in mail.error
    assert _failures() == 0  # our settings, not the learner's address
    job = db.session.scalar(select(Job).where(Job.kind == "mail"))
    assert job.status == "failed" and "refused the login" in job.message


def test_a_server_without_starttls_is_reported(app, auth, request, certificate):
    box = Mailbox()
    request.addfinalizer(box.stop)
    address = box.start()  # plain SMTP: no STARTTLS offered
    app.config["MAIL_URL"] = address.replace("smtp://", f"smtp+starttls://{quote(USER, safe='')}:x@")
    auth.signup()
    assert _deliveries(app, box) == []
    [mail] = _outbox()
    assert mail.status == "failed"
    assert "does not offer what the settings ask for (MAIL_TLS" in mail.error
    assert "STARTTLS" in mail.error
    assert _failures() == 0


def test_a_certificate_nobody_trusts_is_not_logged_in_to(
    app, auth, request, certificate, monkeypatch, tmp_path
):
    box = _relay(request, certificate)
    (tmp_path / "other").mkdir()
    other, _key = self_signed_certificate(tmp_path / "other")
    monkeypatch.setenv("SSL_CERT_FILE", str(other))  # trusts another certificate, not the server's
    app.config["MAIL_URL"] = (
        f"smtp+starttls://{quote(USER, safe='')}:{quote(PASSWORD, safe='')}@127.0.0.1:{box.port}"
    )
    auth.signup()
    assert _deliveries(app, box) == []
    assert box.logins == []  # the password never went to it
    [mail] = _outbox()
    assert mail.status == "failed"
    assert mail.error.startswith("The mail server's certificate is not trusted")
    assert "certificate verify failed" in mail.error
    assert _failures() == 0

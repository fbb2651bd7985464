"""Email over HTTP with a real SMTP server (aiosmtpd) in the test process: sign-up's verification link,
"Forgot password?" and its reset link, a change of address, the admin's outbox, resending. Every mail is
read as it arrived: both parts, the links in them, the headers."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from learnapp.auth import recovery
from learnapp.extensions import db
from learnapp.mail.tokens import password_digest, sign
from learnapp.models import Job, OutboxMail, User, utcnow
from tests.conftest import AuthActions, csrf_from
from tests.mailbox import html_part, links, path_of, text_part


def _user(username="mei") -> User:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.username_key == username))


def _outbox() -> list[OutboxMail]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMail).order_by(OutboxMail.id)))


def _post(client, path, data, page=None):
    token = csrf_from(client.get(page or path).get_data(as_text=True))
    return client.post(path, data=data | {"csrf_token": token})


def _forgot(client, email):
    """Ask for a reset link, and wait for the work done beside the answer (see
    test_the_answer_does_not_wait_for_the_reset_link)."""
    response = _post(client, "/password/forgot", {"email": email})
    response.close()  # as a WSGI server does once it has sent the answer
    recovery.later.wait()
    return response


# ---- sign-up and verification ---------------------------------------------------------------------


def test_sign_up_mails_a_verification_link_with_both_parts(client, auth, mailbox):
    assert auth.signup().status_code == 303
    [message] = mailbox.deliveries()
    assert message["To"] == "mei@example.com"
    assert message["Subject"] == "Confirm your email address · Huanying"
    assert message["From"] == "Huanying <huanying@localhost>"
    assert message["Message-ID"] and message["Date"]
    assert "List-Unsubscribe" not in message  # about the account itself: no unsubscribe
    [link] = links(message)
    assert link.startswith("http://127.0.0.1:5000/verify/")
    assert f'href="{link}"' in html_part(message)
    assert "Studying works without it" in text_part(message)
    [mail] = _outbox()
    assert (mail.kind, mail.status, mail.text_body) == ("verify", "sent", "")  # SMTP: no body kept
    assert _user().email_verified_at is None
    # Studying works before verifying.
    assert client.get("/study").status_code == 200

    page = client.get(path_of(link))
    assert page.status_code == 200
    assert "mei@example.com</strong> is verified" in page.get_data(as_text=True)
    assert _user().email_verified_at is not None


def test_a_used_verification_link_says_so(client, auth, mailbox):
    auth.signup()
    [message] = mailbox.deliveries()
    path = path_of(links(message)[0])
    client.get(path)
    again = client.get(path)
    assert again.status_code == 200
    assert "This link has been used before" in again.get_data(as_text=True)


def test_a_tampered_verification_link_says_so_and_offers_a_new_one(client, auth, mailbox):
    auth.signup()
    [message] = mailbox.deliveries()
    path = path_of(links(message)[0])
    tampered = path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")
    page = client.get(tampered)
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert "This verification link doesn&#39;t work" in html
    assert 'action="/verify/resend"' in html  # logged in and unverified: a new link is one click away
    assert _user().email_verified_at is None


def test_an_expired_verification_link_says_so_and_offers_a_new_one(client, auth, mailbox, app):
    auth.signup()
    user = _user()
    token = sign("verify", {"u": user.id, "e": user.email}, utcnow() - timedelta(days=3, minutes=1))
    page = client.get(f"/verify/{token}")
    assert page.status_code == 410
    assert "This verification link has expired" in page.get_data(as_text=True)
    assert "Send a new link to mei@example.com" in page.get_data(as_text=True)
    auth.logout()
    logged_out = client.get(f"/verify/{token}").get_data(as_text=True)
    assert "Log in</a> and we'll offer you a new link" in logged_out


@pytest.mark.parametrize("token", ["x", "A" * 5000, "%00%01", "种草.yyds.🙂", "..%2F..%2Fetc"])
def test_garbage_verification_links_are_a_400_page_not_a_500(client, token):
    page = client.get(f"/verify/{token}")
    assert page.status_code in (400, 404)
    if page.status_code == 400:  # control characters are refused before the link is read (inputs.py)
        html = page.get_data(as_text=True)
        assert "This verification link doesn&#39;t work" in html or "A character we can&#39;t accept" in html


def test_resending_a_verification_link(client, auth, mailbox):
    auth.signup()
    response = _post(client, "/verify/resend", {}, page="/settings/email")
    assert response.status_code == 303
    assert response.headers["Location"] == "/settings/email"
    assert len(mailbox.deliveries()) == 2
    client.get(path_of(links(mailbox.deliveries()[-1])[0]))
    refused = _post(client, "/verify/resend", {}, page="/settings/email")
    assert refused.status_code == 409
    assert "already verified" in refused.get_data(as_text=True)
    assert len(mailbox.deliveries()) == 2


def test_resending_needs_a_login_and_a_token(client):
    assert client.post("/verify/resend").status_code in (302, 303, 400)
    assert _outbox() == []


def test_resending_is_rate_limited_per_account(client, auth, mailbox, app):
    app.config["MAIL_ADDRESS_RATE_LIMIT"] = "2 per hour"
    auth.signup()
    statuses = [_post(client, "/verify/resend", {}, page="/settings/email").status_code for _ in range(3)]
    assert statuses == [303, 303, 429]
    assert len(mailbox.deliveries()) == 3  # sign-up's and two more


# ---- forgot password and reset ------------------------------------------------------------------------


def test_login_page_offers_forgot_password(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<a href="/password/forgot">Forgot password?</a>' in html


def test_forgot_password_answers_the_same_for_known_and_unknown_addresses(client, auth, mailbox):
    auth.signup()
    auth.logout()
    mailbox.deliveries()
    known = _forgot(client, "Mei@Example.com ")
    known_page = client.get(known.headers["Location"]).get_data(as_text=True)
    unknown = _forgot(client, "nobody@example.com")
    unknown_page = client.get(unknown.headers["Location"]).get_data(as_text=True)
    assert known.status_code == unknown.status_code == 303
    assert known.headers["Location"] == unknown.headers["Location"] == "/password/forgot/sent"
    assert known_page.replace("Mei@Example.com", "X") == unknown_page.replace("nobody@example.com", "X")
    assert "If an account uses" in known_page
    delivered = mailbox.deliveries()
    assert [m["To"] for m in delivered[1:]] == ["mei@example.com"]  # the unknown address got nothing
    reset = delivered[-1]
    assert reset["Subject"] == "Reset your password · Huanying"
    assert "List-Unsubscribe" not in reset
    [link] = links(reset)
    assert "/password/reset/" in link
    assert f'href="{link}"' in html_part(reset)
    assert "works for 60 minutes, once" in text_part(reset)


def test_the_answer_does_not_wait_for_the_reset_link(app, client, auth, mailbox):
    """A known address and an unknown one take the same time to answer: nothing is looked up, signed or
    written before the answer. Shown by holding the work back until the answer is there."""
    auth.signup()
    auth.logout()
    delivered = len(mailbox.deliveries())
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(OutboxMail))
    held = threading.Event()
    with app.test_request_context():
        recovery.later.submit(held.wait, 30)  # the work queue is busy until released
    answer = _post(client, "/password/forgot", {"email": "mei@example.com"})
    assert answer.status_code == 303
    assert answer.headers["Location"] == "/password/forgot/sent"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMail)) == before
    held.set()
    answer.close()
    recovery.later.wait()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMail)) == before + 1
    [reset] = mailbox.deliveries()[delivered:]
    assert (reset["To"], reset["Subject"]) == ("mei@example.com", "Reset your password · Huanying")


def test_reset_sets_the_password_and_ends_every_other_session(app, client, auth, mailbox):
    auth.signup()  # this client stays logged in: "the other device"
    other = app.test_client()
    _forgot(other, "mei@example.com")
    link = links(mailbox.deliveries()[-1])[0]
    form = other.get(path_of(link))
    assert form.status_code == 200
    assert "For the account <strong>mei</strong>" in form.get_data(as_text=True)
    done = _post(
        other, path_of(link), {"new_password": "new password 1", "confirm_password": "new password 1"}
    )
    assert done.status_code == 303
    assert done.headers["Location"] == "/"
    assert other.get("/study").status_code == 200  # logged in here
    assert client.get("/study").status_code == 302  # the other session has ended
    AuthActions(client).login(password="correct horse")
    assert client.get("/study").status_code == 302
    assert AuthActions(client).login(password="new password 1").status_code == 303
    assert _user().email_verified_at is not None  # the link reached the address

    # The link is used up: it says so, and offers a new one.
    again = AuthActions(app.test_client()).client.get(path_of(link))
    assert again.status_code == 410
    html = again.get_data(as_text=True)
    assert "This reset link has already been used" in html
    assert 'action="/password/forgot"' in html


def test_a_reset_link_dies_when_the_password_changes_another_way(client, auth, mailbox):
    auth.signup()
    _forgot(client, "mei@example.com")
    link = links(mailbox.deliveries()[-1])[0]
    _post(
        client,
        "/account/password",
        {"current_password": "correct horse", "new_password": "changed it", "confirm_password": "changed it"},
    )
    assert client.get(path_of(link)).status_code == 410


def test_an_expired_reset_link_says_so_and_offers_a_new_one(client, auth):
    auth.signup()
    user = _user()
    payload = {"u": user.id, "p": password_digest(user.password_hash)}
    fresh = sign("reset", payload, utcnow() - timedelta(minutes=59))
    stale = sign("reset", payload, utcnow() - timedelta(minutes=61))
    assert client.get(f"/password/reset/{fresh}").status_code == 200
    page = client.get(f"/password/reset/{stale}")
    assert page.status_code == 410
    assert "This reset link has expired" in page.get_data(as_text=True)
    assert 'action="/password/forgot"' in page.get_data(as_text=True)
    # Posting a new password with it changes nothing.
    token = csrf_from(client.get("/password/forgot").get_data(as_text=True))
    refused = client.post(
        f"/password/reset/{stale}",
        data={"new_password": "new password 1", "confirm_password": "new password 1", "csrf_token": token},
    )
    assert refused.status_code == 410
    assert _user().password_hash == user.password_hash


def test_a_tampered_reset_link_says_so(client, auth):
    auth.signup()
    user = _user()
    other_purpose = sign("verify", {"u": user.id, "p": password_digest(user.password_hash)}, utcnow())
    for token in (other_purpose, "abc", "A" * 5000):
        page = client.get(f"/password/reset/{token}")
        assert page.status_code == 400
        assert "This reset link doesn&#39;t work" in page.get_data(as_text=True)


def test_reset_form_errors_stay_beside_their_fields(client, auth, mailbox):
    auth.signup()
    _forgot(client, "mei@example.com")
    path = path_of(links(mailbox.deliveries()[-1])[0])
    short = _post(client, path, {"new_password": "short", "confirm_password": "short"})
    assert short.status_code == 422
    assert 'id="new_password-error"' in short.get_data(as_text=True)
    differ = _post(client, path, {"new_password": "long enough 1", "confirm_password": "long enough 2"})
    assert differ.status_code == 422
    assert "The two passwords differ." in differ.get_data(as_text=True)
    assert 'aria-describedby="confirm_password-error"' in differ.get_data(as_text=True)


def test_two_submits_of_one_reset_link_at_once_change_the_password_once(app, client, auth, mailbox):
    from learnapp.auth import recovery
    from learnapp.mail.tokens import LinkProblem

    auth.signup()
    _forgot(client, "mei@example.com")
    token = path_of(links(mailbox.deliveries()[-1])[0]).rsplit("/", 1)[1]
    user = recovery.check_reset(token, utcnow())
    version = user.session_version
    recovery.reset_password(token, "first password", utcnow())
    with pytest.raises(LinkProblem) as problem:
        recovery.reset_password(token, "second password", utcnow())
    assert problem.value.reason == "used"
    assert _user().session_version == version + 1


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter your email address."),
        ("not an address", "doesn&#39;t look like an email address"),
        ("a" * 5000 + "@example.com", "That email address is too long."),
        ("mei\r\nBcc: x@evil.example", "doesn&#39;t look like an email address"),
    ],
)
def test_bad_addresses_on_forgot_password_get_a_message_beside_the_field(client, email, message):
    response = _forgot(client, email)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="email-error"' in html
    assert message in html
    assert _outbox() == []


def test_a_unicode_address_gets_its_reset_link(client, auth, mailbox):
    auth.signup(username="lili", email="李@例子.中国")
    auth.logout()
    response = _forgot(client, "李@例子.中国")
    assert response.status_code == 303
    delivered = mailbox.deliveries()
    assert delivered[-1]["To"] == "李@例子.中国"
    assert "/password/reset/" in links(delivered[-1])[0]


def test_forgot_password_is_rate_limited_per_address(app, client, auth, mailbox):
    app.config["MAIL_ADDRESS_RATE_LIMIT"] = "2 per hour"
    auth.signup()
    auth.logout()
    statuses = [_forgot(app.test_client(), "mei@example.com").status_code for _ in range(3)]
    assert statuses == [303, 303, 429]
    # Another address from the same client is still served.
    assert _forgot(client, "other@example.com").status_code == 303
    assert len(mailbox.deliveries()) == 3  # sign-up's and two reset links


def test_forgot_password_is_rate_limited_per_client(app, client):
    app.config["AUTH_RATE_LIMIT"] = "2 per minute"
    statuses = [_forgot(client, f"person{n}@example.com").status_code for n in range(3)]
    assert statuses == [303, 303, 429]
    assert "Too many attempts" in _forgot(client, "x@example.com").get_data(as_text=True)


# ---- change of address ------------------------------------------------------------------------------


def test_changing_the_address_verifies_the_new_one_and_tells_the_old_one(client, auth, mailbox):
    auth.signup()
    client.get(path_of(links(mailbox.deliveries()[0])[0]))
    assert _user().email_verified_at is not None
    response = _post(client, "/settings/email", {"email": "Mei.New@Example.com", "password": "correct horse"})
    assert response.status_code == 303
    user = _user()
    assert (user.email, user.email_verified_at) == ("mei.new@example.com", None)
    delivered = mailbox.deliveries()
    [to_new] = [m for m in delivered if m["To"] == "mei.new@example.com"]
    [notice] = [m for m in delivered if m["To"] == "mei@example.com" and "changed" in m["Subject"]]
    assert "/verify/" in links(to_new)[0]
    assert "m***@example.com" in text_part(notice)
    assert "mei.new@example.com" not in text_part(notice) + html_part(notice)
    client.get(path_of(links(to_new)[0]))
    assert _user().email_verified_at is not None
    # The old address's verification link verifies nothing now.
    stale = client.get(path_of(links(delivered[0])[0]))
    assert stale.status_code == 410
    assert "no longer on the account" in stale.get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "new@example.com", "password": "wrong one"}, "password", "That isn&#39;t your password."),
        ({"email": "new@example.com", "password": ""}, "password", "Enter your password to confirm."),
        ({"email": "mei@example.com", "password": "correct horse"}, "email", "That is already your address."),
        ({"email": "wang@example.com", "password": "correct horse"}, "email", "can&#39;t be used"),
        ({"email": "x" * 5000, "password": "correct horse"}, "email", "too long"),
        ({"email": "mei @example.com", "password": "correct horse"}, "email", "doesn&#39;t look like"),
    ],
)
def test_bad_address_changes_keep_what_was_typed_and_say_what_to_fix(client, auth, data, field, message):
    auth.signup(username="wang", email="wang@example.com")
    auth.logout()
    auth.signup()
    outbox_before = len(_outbox())
    response = _post(client, "/settings/email", data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html
    assert message in html
    if len(data["email"]) < 100 and data["email"].isprintable():
        assert f'value="{data["email"]}"' in html
    assert _user().email == "mei@example.com"
    assert len(_outbox()) == outbox_before  # nothing sent for a refused change


def test_the_email_page_needs_a_login(client):
    response = client.get("/settings/email")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


# ---- delivery: after the commit, failures recorded, never a 500 --------------------------------------


def test_a_rolled_back_sign_up_sends_nothing(client, auth, mailbox):
    auth.signup()
    auth.logout()
    response = auth.signup(username="MEI", email="another@example.com")  # taken username: rolled back
    assert response.status_code == 422
    assert [m["To"] for m in mailbox.deliveries()] == ["mei@example.com"]
    assert len(_outbox()) == 1


def test_an_smtp_server_that_is_down_does_not_break_sign_up(client, auth, app):
    from tests.mailbox import free_port

    app.config["MAIL_URL"] = f"smtp://127.0.0.1:{free_port()}"  # nothing listens there
    response = auth.signup()
    assert response.status_code == 303
    from learnapp.jobs.runner import runner_of

    runner_of(app).drain()
    [mail] = _outbox()
    assert mail.status == "failed"
    assert "Could not reach the mail server" in mail.error
    assert _user().mail_failures == 0  # not the address's fault
    job = db.session.scalar(select(Job).where(Job.kind == "mail"))
    assert job.status == "failed"


def test_a_refused_address_is_recorded_and_counted(client, auth, mailbox):
    mailbox.refuse.add("bounce.example")
    assert auth.signup(email="gone@bounce.example").status_code == 303
    assert mailbox.deliveries() == []
    [mail] = _outbox()
    assert mail.status == "failed"
    assert mail.error.startswith("550")
    assert _user().mail_failures == 1


# ---- the embedded default and the admin's outbox ------------------------------------------------------


def test_without_smtp_mails_go_to_the_log_and_the_admin_outbox(app, client, auth, caplog):
    from learnapp.jobs.runner import runner_of

    caplog.set_level(logging.INFO, logger="learnapp.mail")
    auth.signup(username="boss", email="boss@example.com")
    runner_of(app).drain()
    [mail] = _outbox()
    assert mail.status == "logged"
    assert "/verify/" in mail.text_body and "/verify/" in mail.html_body
    assert any(
        "To: boss@example.com" in r.getMessage() and "/verify/" in r.getMessage() for r in caplog.records
    )

    # A learner may not see the outbox.
    assert client.get("/admin/outbox").status_code == 403
    assert client.get(f"/admin/outbox/{mail.id}").status_code == 403
    _user("boss").role = "admin"
    db.session.commit()
    page = client.get("/admin/outbox")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "No SMTP server is configured" in html
    assert "Confirm your email address · Huanying" in html
    one = client.get(f"/admin/outbox/{mail.id}").get_data(as_text=True)
    link = mail.text_body.split("/verify/")[1].split()[0]
    assert f'href="http://127.0.0.1:5000/verify/{link}"' in one
    html_part_page = client.get(f"/admin/outbox/{mail.id}/html")
    assert "sandbox" in html_part_page.headers["Content-Security-Policy"]
    assert "Confirm my address" in html_part_page.get_data(as_text=True)
    assert client.get("/admin/outbox/999999").status_code == 404
    # The admin walks the link, as a newcomer would on `make run`.
    assert client.get(f"/verify/{link}").status_code == 200
    assert _user("boss").email_verified_at is not None


def test_the_outbox_needs_a_login(client):
    response = client.get("/admin/outbox")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_the_outbox_page_with_htmx_is_the_same_page(client, auth):
    auth.signup(username="boss", email="boss@example.com")
    _user("boss").role = "admin"
    db.session.commit()
    plain = client.get("/admin/outbox")
    htmx = client.get("/admin/outbox", headers={"HX-Request": "true"})
    assert plain.status_code == htmx.status_code == 200
    assert "HX-Request" in htmx.headers["Vary"]
    assert "<h1>Outbox</h1>" in htmx.get_data(as_text=True)


def test_deleting_the_account_deletes_its_mails(client, auth, mailbox):
    auth.signup()
    mailbox.deliveries()
    assert db.session.scalar(select(func.count()).select_from(OutboxMail)) == 1
    response = _post(client, "/account/delete", {"password": "correct horse"})
    assert response.status_code == 303
    assert db.session.scalar(select(func.count()).select_from(OutboxMail)) == 0

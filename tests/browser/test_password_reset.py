"""The reset journey on a phone, keyboard only: "Forgot password?" from the login page, the link from the
outbox (the embedded default: no SMTP server), a new password, and the other device logged out."""

import re
import time
from urllib.parse import urlsplit

from playwright.sync_api import expect
from sqlalchemy import select

from learnapp.extensions import db
from learnapp.models import OutboxMail
from tests.browser.conftest import screenshot, sign_up

PHONE = {"width": 390, "height": 844}


def _phone(browser, base_url):
    context = browser.new_context(
        base_url=base_url,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        locale="en-US",
        timezone_id="Asia/Shanghai",
    )
    phone = context.new_page()
    foreign, errors = [], []

    def guard(route):
        if urlsplit(route.request.url).hostname == "127.0.0.1" or route.request.url.startswith("data:"):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    phone.route("**/*", guard)
    phone.on("pageerror", lambda error: errors.append(str(error)))
    # A form sent back with its errors (422) and a used link (410) are pages we mean to show, which
    # Chromium reports as failed loads; anything else in the console is a defect.
    expected = re.compile(r"^Failed to load resource: the server responded with a status of (422|410)")
    phone.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and not expected.match(message.text)
            else None
        ),
    )
    phone.set_default_timeout(10_000)
    return context, phone, foreign, errors


def _tab_to(page, name, limit=20):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == name:
            return
    raise AssertionError(f"Tab never reached {name!r}")


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "sideways scrolling"


def _reset_mail(patience=10.0):
    """The reset mail from the outbox. It is written once the answer has left (so that a known address
    answers as fast as an unknown one), so it can arrive a moment after the page: wait for it as a
    learner waits for their mail."""
    deadline = time.monotonic() + patience
    while True:
        db.session.expire_all()
        mail = db.session.scalar(select(OutboxMail).where(OutboxMail.kind == "reset"))
        if mail is not None or time.monotonic() > deadline:
            assert mail is not None, "no reset mail in the outbox"
            return mail
        time.sleep(0.05)


def test_forgot_password_and_reset_on_a_phone_with_the_keyboard(app, browser, live_server, page):
    app.config["PUBLIC_URL"] = live_server  # links in mails point at this server
    sign_up(page, "mei")  # the other device, which stays logged in until the reset
    expect(page).to_have_url(re.compile(r"/welcome/nickname$"))

    context, phone, foreign, errors = _phone(browser, live_server)
    try:
        phone.goto("/login")
        _tab_to(phone, "Forgot password?")
        phone.keyboard.press("Enter")
        expect(phone).to_have_url(re.compile(r"/password/forgot$"))
        expect(phone.get_by_label("Your email address")).to_be_focused()
        _fits(phone)
        phone.keyboard.type("not an address")
        phone.keyboard.press("Enter")
        expect(phone.locator("#email-error")).to_contain_text("doesn't look like an email address")
        expect(phone.get_by_label("Your email address")).to_have_value("not an address")
        phone.get_by_label("Your email address").fill("")
        phone.get_by_label("Your email address").focus()
        phone.keyboard.type("mei@example.com")
        phone.keyboard.press("Enter")
        expect(phone).to_have_url(re.compile(r"/password/forgot/sent$"))
        expect(phone.get_by_role("status").filter(has_text="If an account uses")).to_contain_text(
            "If an account uses mei@example.com"
        )
        screenshot(phone, "reset-sent-phone")

        mail = _reset_mail()
        link = re.search(r"http://\S+/password/reset/\S+", mail.text_body).group(0)
        assert link.startswith(live_server)

        phone.goto(link)
        expect(phone.get_by_role("heading", name="Choose a new password")).to_be_visible()
        expect(phone.get_by_label("New password", exact=True)).to_be_focused()
        _fits(phone)
        phone.keyboard.type("new password 1")
        phone.keyboard.press("Tab")
        phone.keyboard.type("new password 2")
        phone.keyboard.press("Enter")
        expect(phone.locator("#confirm_password-error")).to_have_text("The two passwords differ.")
        phone.get_by_label("Repeat the new password").fill("")
        phone.get_by_label("Repeat the new password").focus()
        phone.keyboard.type("new password 1")
        phone.get_by_label("New password", exact=True).fill("new password 1")  # password fields are not kept
        phone.get_by_label("Repeat the new password").focus()
        phone.keyboard.press("Enter")
        expect(phone.locator(".flash-success")).to_contain_text("Your password is changed")
        screenshot(phone, "reset-done-phone")

        # The link is used up, and says so with a way to get a new one.
        phone.goto(link)
        expect(phone.get_by_role("heading", name="This reset link has already been used")).to_be_visible()
        expect(phone.get_by_role("button", name="Send me a reset link")).to_be_visible()
    finally:
        context.close()
    assert foreign == []
    assert errors == []

    # The other device's session has ended.
    page.goto("/study")
    expect(page).to_have_url(re.compile(r"/login"))

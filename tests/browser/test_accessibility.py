"""Every page of a newcomer's walk passes axe-core at WCAG 2.1 AA (wcag2a, wcag2aa, wcag21a, wcag21aa),
colour contrast included: on a desktop and a phone, in light and dark. A failure names the page, the rule
id and the element's selector.

axe-core comes pinned from npm (package.json) and is copied by the Makefile into static/vendor/axe-core;
no page of the app loads it: the walk injects it into each page."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from learnapp.extensions import db
from learnapp.models import User, UserSession
from tests.browser.conftest import sign_up
from tests.browser.walk import AXE, Walker, bring_to_front, build_world
from tests.factories import T0

# A comment for the reader: words, an emoji and a sticker code.
COMMENT = "这家店的老板人超好，咖啡也好喝！下次还来[doge]"

# Card kinds the walk reaches, and a deck of the learner's that has them.
KINDS = (
    ("recognize", "rednote-starter"),
    ("recall", "rednote-starter"),
    ("context", "emoji-decoded"),
    ("send", "emoji-decoded"),
    ("typed", "mandarin-first-words"),
    ("tones", "mandarin-first-words"),
)


def walk_visitor(walker: Walker, world) -> None:
    walker.visit("landing", "/")
    walker.visit("sign up", "/signup")
    walker.visit("log in", "/login")
    walker.visit("deck catalogue (visitor)", "/decks")
    walker.visit("share page", f"/n/{world.share_token}")
    walker.visit("join link (visitor)", f"/join/{world.join_code}")
    walker.visit("join link renewed", "/join/ZZZZ2222", status=404)
    walker.visit("404", "/no-such-page", status=404)


def walk_newcomer(walker: Walker, username: str) -> None:
    page = walker.page
    sign_up(page, username)
    page.wait_for_url("**/welcome/nickname")
    walker.axe("welcome: nickname")
    page.fill("#name", "Anna")
    page.keyboard.press("Enter")
    page.locator(".suggestion").first.wait_for()
    walker.axe("welcome: nickname suggestions")
    page.locator(".suggestion button[name=pick]").first.click()
    page.wait_for_url("**/welcome/goals")
    walker.axe("welcome: goals")
    page.locator("button", has_text="Start my first session").click()
    page.wait_for_url("**/study")
    walker.log_out()


def walk_study(walker: Walker) -> None:
    page = walker.page
    for kind, slug in KINDS:
        card_id = bring_to_front("lily", slug, kind)
        walker.visit(f"study: {kind} front", "/study")
        if kind == "typed":
            page.locator("#typed-answer").press("Enter")  # nothing typed: "No answer"
            page.locator(".feedback").wait_for()
            walker.axe("study: typed back, no answer")
            continue
        if kind == "tones":
            page.locator(".tone-choice").first.locator("label").nth(2).click()
            page.locator(".tone-choice").nth(1).locator("label").nth(0).click()
            page.locator(".answer-form button[type=submit]").click()
            page.locator(".feedback").wait_for()
            walker.axe("study: tones back")
            continue
        walker.visit(f"study: {kind} back", f"/study?card={card_id}&side=back")


def walk_session_end(walker: Walker) -> None:
    """Lily's day shrinks to one new card: she answers it from the keyboard and the session sums up."""
    page = walker.page
    bring_to_front("lily", "rednote-starter", "recognize")  # a card with "Show answer", not a tone drill
    user = db.session.scalar(select(User).where(User.username == "lily"))
    user.new_per_day = 1
    db.session.commit()
    page.goto("/study")
    page.wait_for_load_state("load")  # app.js shows the answer from the page itself
    page.keyboard.press("Space")
    page.locator(".grade-4").wait_for()
    page.keyboard.press("4")
    page.locator(".session-summary").wait_for()
    walker.axe("study: end of the session")


def walk_reader(walker: Walker) -> None:
    page = walker.page
    walker.visit("reader: paste", "/read")
    page.fill("#text", COMMENT)
    page.get_by_role("button", name="Read it").click()
    page.wait_for_url(re.compile(r"/read/\d+$"))
    walker.axe("reader: a text")
    page.locator('#reader-text a.w[data-key="老板"]').click()
    page.locator("#word-card.open .word-popover").wait_for()
    walker.axe("reader: a word open")
    walker.visit("reader: my texts", "/read/texts")


def walk_devices(walker: Walker) -> None:
    """The devices page with a second device, whose row has its own "Log out" button."""
    user_id = db.session.scalar(select(User.id).where(User.username == "lily"))
    db.session.add(
        UserSession(
            user_id=user_id, token_hash="0" * 64, created_at=T0, last_seen=T0, device="Firefox on Android"
        )
    )
    db.session.commit()
    walker.visit("my devices", "/account/sessions")


def walk_learner(walker: Walker, world) -> None:
    walker.log_in("lily")
    walker.visit("dashboard", "/")
    walker.visit("deck catalogue", "/decks")
    walker.visit("deck page", "/decks/rednote-starter")
    walker.visit("deck page (locked)", "/decks/rednote-platform")
    walk_study(walker)
    walk_session_end(walker)
    walker.visit("stats", "/stats")
    walk_reader(walker)
    walker.visit("custom study", "/study/custom")
    walker.visit("leeches", "/study/leeches")
    walker.visit("wiki index", "/wiki")
    walker.visit("wiki search results", "/wiki?q=grass")
    walker.visit("wiki entry", "/wiki/rednote-starter/zhongcao")
    walker.visit("settings", "/settings")
    walker.visit("my nicknames", "/settings/nicknames")
    walker.visit("my data", "/account/data")
    walk_devices(walker)
    walker.visit("change password", "/account/password")
    walker.visit("join a class", "/join")
    walker.visit("join link (member)", f"/join/{world.join_code}")
    walker.visit("my classes", "/classes")
    walker.visit("403", "/teach", status=403)
    walker.log_out()


def walk_teacher(walker: Walker, world) -> None:
    walker.log_in("olive")
    walker.visit("teacher home", "/teach")
    walker.visit("deck editor", f"/teach/decks/{world.teacher_deck}")
    walker.visit("class dashboard", f"/teach/classes/{world.class_id}")
    walker.log_out()
    walker.log_in("ada")
    walker.visit("admin users", "/admin/users")
    walker.log_out()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_every_page_of_the_walk_passes_axe(browser, live_server, device, scheme):
    assert AXE.exists(), "axe-core is missing: run make setup"
    world = build_world()
    walker = Walker(browser, live_server, device, scheme)
    try:
        walk_visitor(walker, world)
        walk_newcomer(walker, f"new{device[0]}{scheme[0]}")
        walk_learner(walker, world)
        walk_teacher(walker, world)
    finally:
        walker.close()
    assert walker.violations == [], "axe-core found:\n" + "\n".join(walker.violations)

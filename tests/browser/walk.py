"""Shared pieces of the newcomer walks (no tests in here): a world built through the real services, browser
contexts for a desktop and a phone in light or dark, and axe-core run inside the page."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import func, select

from learnapp.classes import service as classes
from learnapp.classes.service import ClassFields
from learnapp.extensions import db
from learnapp.models import Card, CardState, Deck, Entry, Nickname
from learnapp.teach import editor
from learnapp.teach.editor import DeckFields, EntryFields
from learnapp.welcome import service as onboarding
from learnapp.welcome.service import TOPICS, NameRequest
from tests.factories import T0
from tests.http.test_teach_support import PASSWORD, make_account

AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
DEVICES = {"desktop": DESKTOP, "phone": PHONE}


@dataclass
class World:
    teacher_deck: str
    entry_key: str
    class_id: int
    join_code: str
    share_token: str


def build_world() -> World:
    """A teacher with a deck and a class, an admin, and a learner past the welcome who studies the five
    starter decks and the class's deck, with a Chinese name."""
    teacher = make_account("olive", "teacher")
    make_account("ada", "admin")
    learner = make_account("lily", timezone="Europe/Berlin")
    deck = editor.create_deck(teacher, DeckFields(title="Evening greetings", visibility="unlisted"), T0)
    first = editor.add_entry(teacher, deck.slug, EntryFields(headword="你好", meaning="hello"), T0)
    editor.add_entry(teacher, deck.slug, EntryFields(headword="谢谢", meaning="thank you"), T0)
    classroom = classes.create_class(teacher, ClassFields(name="Evening class"), T0)
    classes.assign_deck(teacher, classroom.id, deck.slug, T0)
    onboarding.set_goals(learner, list(TOPICS), "steady", T0)
    onboarding.pick(learner, NameRequest.parse("Lily", "feminine", None, 0), 0, T0)
    classes.join(learner, classroom.join_code, T0)
    token = db.session.scalar(select(Nickname.share_token).where(Nickname.user_id == learner.id))
    db.session.commit()
    return World(deck.slug, first.key, classroom.id, classroom.join_code, token)


def bring_to_front(username: str, slug: str, kind: str) -> int:
    """Make one of the learner's new cards of `kind` the head of their queue; returns its id."""
    from learnapp.models import User

    user_id = db.session.scalar(select(User.id).where(User.username == username))
    card_id = db.session.scalar(
        select(Card.id)
        .join(Entry, Entry.id == Card.entry_id)
        .join(Deck, Deck.id == Entry.deck_id)
        .join(CardState, (CardState.card_id == Card.id) & (CardState.user_id == user_id))
        .where(Deck.slug == slug, Card.kind == kind, CardState.state == "new", CardState.active)
        .order_by(Entry.position)
        .limit(1)
    )
    assert card_id is not None, f"no new {kind} card in {slug}"
    lowest = db.session.scalar(select(func.min(CardState.new_position)).where(CardState.user_id == user_id))
    db.session.get(CardState, (user_id, card_id)).new_position = (lowest or 0) - 1
    db.session.commit()
    return card_id


class Walker:
    """One browser context (device and colour scheme), guarded like the `page` fixture: a request to any
    host but 127.0.0.1 or an error in the console fails the walk."""

    def __init__(self, browser, base_url: str, device: str, scheme: str, **options) -> None:
        self.label = f"{device}/{scheme}"
        self.context = browser.new_context(
            base_url=base_url,
            locale="en-US",
            timezone_id="Europe/Berlin",
            color_scheme=scheme,
            bypass_csp=True,  # only so that axe-core can be injected from its file; no page of ours needs it
            **DEVICES[device],
            **options,
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(20_000)
        self.foreign: list[str] = []
        self.errors: list[str] = []
        self.violations: list[str] = []
        self.page.route("**/*", self._guard)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on(
            "console", lambda message: self.errors.append(message.text) if message.type == "error" else None
        )

    def _guard(self, route) -> None:
        url = route.request.url
        if urlsplit(url).hostname == "127.0.0.1" or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def log_in(self, username: str) -> None:
        self.page.goto("/login")
        self.page.fill("#login", username)
        self.page.fill("#password", PASSWORD)
        self.page.keyboard.press("Enter")
        self.page.wait_for_url(lambda url: "/login" not in url)

    def log_out(self) -> None:
        # Leave the page first: its scripts (the offline pack's refresh) must not ask with no cookie left.
        self.page.goto("about:blank")
        self.context.clear_cookies()

    def axe(self, name: str) -> None:
        """Run axe-core (WCAG 2.1 A and AA, contrast included) on the page as it is now."""
        self.page.add_script_tag(path=str(AXE))
        result = self.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            AXE_TAGS,
        )
        for violation in result["violations"]:
            for node in violation["nodes"]:
                selector = " ".join(
                    " ".join(part) if isinstance(part, list) else part for part in node["target"]
                )
                self.violations.append(
                    f"{name} [{self.label}]: {violation['id']}: {selector} ({violation['help']})"
                )

    def visit(self, name: str, path: str, status: int = 200) -> None:
        response = self.page.goto(path)
        assert response is not None
        assert response.status == status, f"{name}: {path} answered {response.status}"
        if status >= 400:  # the browser logs the error status of the page we meant to open
            expected = f"the server responded with a status of {status}"
            self.errors = [error for error in self.errors if expected not in error]
        self.axe(name)

    def close(self) -> None:
        self.context.close()
        assert self.foreign == [], f"the pages asked for hosts other than 127.0.0.1: {self.foreign}"
        assert self.errors == [], f"errors in the browser console: {self.errors}"

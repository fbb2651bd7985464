"""Every form, sent with bad input: a 4xx page (never a 500) with the message beside the field
(`<p class="error" id="<field>-error">`, the field `aria-invalid` and described by it) and what was typed
kept. The table names each form, its bad input and the field the message belongs to. The forms are sent
as the page gives them (every field it fills in, its CSRF token), with the one bad value changed.
tests/unit/test_every_form.py checks every POST form's CSRF token and labels from the templates.

The teacher's forms on a deck and a class have a table of their own (TEACHER_BAD_INPUT), on a small world
(`teaching`): add an entry, import a file, the deck's settings and assigning a deck on the class dashboard.
Their rows may fill other fields with good values first (a bad pinyin needs a headword and a meaning), and
name the id the message is beside when it is not the field's name (the dashboard's select is
`assign-deck`). What was sent comes back: a typed value in its box, a chosen deck selected in the list; a
file cannot be (a browser never fills a file field in). A refused form changes nothing (`fingerprint`)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest

from learnapp.classes import service as classes
from learnapp.classes.service import ClassFields
from learnapp.content.entry import MAX_LENGTH
from learnapp.teach import editor
from learnapp.teach.editor import DeckFields, EntryFields
from tests.factories import T0
from tests.http.test_teach_support import PASSWORD, fingerprint, make_account


class FormFields(HTMLParser):
    """The fields a page's form would send: named inputs (checked boxes only), selects and textareas."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.inside = False
        self.fields: dict[str, str | list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.inside = (a.get("action") or "") in ("", self.action)
        if not self.inside or ("name" not in a and tag != "option"):
            return
        if tag == "input" and a.get("type") not in ("submit", "button"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            value = a.get("value") or ("y" if a.get("type") == "checkbox" else "")
            kept = self.fields.get(a["name"])
            # Checkboxes sharing a name (a deck's card kinds) send every checked value.
            self.fields[a["name"]] = (
                value if kept is None else [*([kept] if isinstance(kept, str) else kept), value]
            )
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.fields[self._select] = a.get("value") or ""
        elif tag == "textarea":
            self._textarea = a["name"]
            self.fields[a["name"]] = ""

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def fields_of(html: str, action: str) -> dict[str, str | list[str]]:
    parser = FormFields(action)
    parser.feed(html)
    return parser.fields


# (who, page, action, field, bad value, part of the message)
BAD_INPUT = [
    ("guest", "/signup", "/signup", "email", "not an address", "email"),
    ("guest", "/signup", "/signup", "username", "", "username"),
    ("guest", "/signup", "/signup", "password", "short", "characters"),
    ("guest", "/login", "/login", "login", "", ""),
    ("guest", "/password/forgot", "/password/forgot", "email", "nobody-at-example", "email"),
    ("learner", "/settings", "/settings", "new_per_day", "many", ""),
    ("learner", "/settings", "/settings", "new_per_day", "100000", ""),
    ("learner", "/settings", "/settings", "desired_retention", "2", ""),
    ("learner", "/settings", "/settings", "reminder_time", "25:99", ""),
    ("learner", "/settings/email", "/settings/email", "email", "not an address", "email"),
    ("learner", "/join", "/join", "code", "!!", ""),
    ("teacher", "/teach/decks/new", "/teach/decks/new", "title", "", ""),
    ("teacher", "/teach/classes/new", "/teach/classes/new", "name", "", ""),
    ("teacher", "/teach/classes/new", "/teach/classes/new", "capacity", "0", ""),
]


@pytest.mark.parametrize(("who", "page", "action", "field", "bad", "says"), BAD_INPUT)
def test_bad_input_is_answered_beside_its_field(client, auth, who, page, action, field, bad, says):
    if who == "learner":
        auth.signup()
    elif who == "teacher":
        make_account("olive", "teacher")
        auth.login("olive", PASSWORD)
    html = client.get(page).get_data(as_text=True)
    data = fields_of(html, action)
    assert "csrf_token" in data, f"{page}: the form carries no CSRF token"
    data[field] = bad
    response = client.post(action, data=data)
    body = response.get_data(as_text=True)
    assert 400 <= response.status_code < 500, (response.status_code, body[:300])
    error = f'<p class="error" id="{field}-error">'
    assert error in body, f"{action}: no message beside {field}"
    message = body.split(error, 1)[1].split("</p>", 1)[0]
    assert says.lower() in message.lower() and message.strip()
    assert f'aria-describedby="{field}-error"' in body and 'aria-invalid="true"' in body
    if bad and field not in ("password",):  # what was typed comes back (a password never does)
        assert f'value="{bad}"' in body


@dataclass(frozen=True)
class Upload:
    """A file for a file field: what it holds and its name."""

    data: bytes
    filename: str


@dataclass(frozen=True)
class Teaching:
    deck: str  # olive's unlisted deck, with entries
    private: str  # olive's private deck: listed on the dashboard, refused (make it unlisted first)
    others: str  # oscar's private deck: not olive's to see
    class_id: int


@pytest.fixture
def teaching(app) -> Teaching:
    """olive teaches a class; her decks are "Animals" (listed first on the dashboard) and a private one;
    oscar, another teacher, has a private deck of his own."""
    olive = make_account("olive", "teacher")
    oscar = make_account("oscar", "teacher")
    deck = editor.create_deck(olive, DeckFields(title="Animals", visibility="unlisted"), T0)
    editor.add_entry(olive, deck.slug, EntryFields(headword="猫", meaning="cat"), T0)
    private = editor.create_deck(olive, DeckFields(title="Secret deck", visibility="private"), T0)
    others = editor.create_deck(oscar, DeckFields(title="Oscar's notes", visibility="private"), T0)
    classroom = classes.create_class(olive, ClassFields(name="Evening class"), T0)
    return Teaching(deck.slug, private.slug, others.slug, classroom.id)


ENTRIES = ("/teach/decks/{deck}", "/teach/decks/{deck}/entries")
IMPORT = ("/teach/decks/{deck}/import", "/teach/decks/{deck}/import")
SETTINGS = ("/teach/decks/{deck}/settings", "/teach/decks/{deck}/settings")
ASSIGN = ("/teach/classes/{class_id}", "/teach/classes/{class_id}/decks")
PNG = b"\x89PNG\r\n\x1a\n" + bytes(300)
TITLE = MAX_LENGTH["title"]  # a deck's title, in characters

# (page and action, other fields filled in first, field, bad value, the id it is beside, part of the message)
TEACHER_BAD_INPUT = [
    (*ENTRIES, {"new-meaning": "cat"}, "new-headword", "", "new-headword", "Enter the word or phrase."),
    (
        *ENTRIES,
        {"new-headword": "再见", "new-meaning": "goodbye"},
        "new-pinyin",
        "zaix jian",
        "new-pinyin",
        "not valid pinyin",
    ),
    (
        *ENTRIES,
        {"new-headword": "再见", "new-meaning": "goodbye"},
        "new-pinyin",
        "zai jian jian",
        "new-pinyin",
        "3 syllables for 2 characters",
    ),
    (*IMPORT, {}, "file", Upload(b"", "words.csv"), "file", "The file is empty."),
    (*IMPORT, {}, "file", Upload(PNG, "words.csv"), "file", "not a text file (it looks like a PNG image)"),
    (*SETTINGS, {}, "title", "", "title", "Give the deck a title."),
    (*SETTINGS, {}, "title", "长" * (TITLE + 1), "title", f"at most {TITLE} characters"),
    (*ASSIGN, {}, "deck", "{others}", "assign-deck", "Pick a deck from the list."),
    (*ASSIGN, {}, "deck", "{private}", "assign-deck", "is private, so your learners could not open it"),
]


@pytest.mark.parametrize(("page", "action", "filled", "field", "bad", "beside", "says"), TEACHER_BAD_INPUT)
def test_a_teachers_bad_input_is_answered_beside_its_field(
    client, auth, teaching, page, action, filled, field, bad, beside, says
):
    names = vars(teaching)
    page, action = page.format(**names), action.format(**names)
    auth.login("olive", PASSWORD)
    html = client.get(page).get_data(as_text=True)
    data: dict = fields_of(html, action)
    assert any(name.endswith("csrf_token") for name in data), f"{page}: the form carries no CSRF token"
    data |= filled
    if isinstance(bad, Upload):
        data[field] = (io.BytesIO(bad.data), bad.filename)
    else:
        bad = bad.format(**names)
        data[field] = bad
    before = fingerprint()
    response = client.post(action, data=data)
    body = response.get_data(as_text=True)
    assert 400 <= response.status_code < 500, (response.status_code, body[:300])
    error = f'<p class="error" id="{beside}-error">'
    assert error in body, f"{action}: no message beside {field}"
    message = body.split(error, 1)[1].split("</p>", 1)[0]
    assert says.lower() in message.lower()
    assert f'aria-describedby="{beside}-error"' in body and 'aria-invalid="true"' in body
    assert fingerprint() == before
    kept = {name: value for name, value in filled.items() if value}
    if isinstance(bad, str) and bad:
        kept[field] = bad
    for name, value in kept.items():
        if re.search(rf'<select[^>]*\bname="{name}"', html):  # a list to choose from
            if f'<option value="{value}"' in html:  # what the list offered stays chosen
                assert f'<option value="{value}" selected>' in body, f"{action}: {value} is no longer chosen"
        else:
            assert f'value="{value}"' in body, f"{action}: {value!r} was not kept"

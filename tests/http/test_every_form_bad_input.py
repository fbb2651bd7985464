"""Every learner's form, sent with bad input: a 4xx page (never a 500) with the message beside the field
(`<p class="error" id="<field>-error">`, the field `aria-invalid` and described by it) and what was typed
kept. The table names each form, its bad input and the field the message belongs to. The forms are sent
as the page gives them (every field it fills in, its CSRF token), with the one bad value changed.
tests/unit/test_every_form.py checks every POST form's CSRF token and labels from the templates.

Not in the table yet: the teacher's entry and import forms (they need a deck and a file), which
tests/http/test_teach_*.py send with bad input one by one."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from tests.http.test_teach_support import PASSWORD, make_account


class FormFields(HTMLParser):
    """The fields a page's form would send: named inputs (checked boxes only), selects and textareas."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.inside = False
        self.fields: dict[str, str] = {}
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
            self.fields[a["name"]] = a.get("value") or ("y" if a.get("type") == "checkbox" else "")
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


def fields_of(html: str, action: str) -> dict[str, str]:
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

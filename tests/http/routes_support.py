"""What the input tests know of the app, read from the app itself (no tests in here): the names of every
form field and query parameter it reads, and a working value for every path parameter of the URL map."""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from wtforms.fields.core import UnboundField

from tests.conftest import ROOT

# request.args.get("q"), request.form.getlist("topics"), values.get("at")... in the app's code.
_READ = re.compile(r"""\b(?:args|form|values|source)\.get(?:list)?\(\s*f?["']([\w{}-]+)["']""")
# The entry editor's fields carry a prefix: "new-" for a new entry, "e-<key>-" for a saved one.
_PREFIXES = ("new-",)


def all_forms() -> list[type[FlaskForm]]:
    """Every FlaskForm subclass the app defines (the app factory has imported them all)."""
    found: list[type[FlaskForm]] = []
    todo = list(FlaskForm.__subclasses__())
    while todo:
        form = todo.pop()
        found.append(form)
        todo.extend(form.__subclasses__())
    return [form for form in found if form.__module__.startswith("learnapp.")]


@cache
def field_names() -> tuple[str, ...]:
    """Every form field name and every query or form name the views read."""
    names: set[str] = set()
    for form in all_forms():
        for name, value in vars(form).items():
            if isinstance(value, UnboundField):
                names.add(name)
                names.update(prefix + name for prefix in _PREFIXES)
    for path in (ROOT / "learnapp").rglob("*.py"):
        for name in _READ.findall(path.read_text(encoding="utf-8")):
            if "{" not in name:
                names.add(name)
    names.discard("csrf_token")
    return tuple(sorted(names))


def path_values(world) -> dict[str, str]:
    """A working value for each path parameter of the URL map, from a `tests.http.test_teach_support.World`
    (so that a bad value in one parameter is the only thing wrong with a request)."""
    return {
        "slug": world.public_slug,
        "key": world.public_key,
        "class_id": str(world.class_id),
        "user_id": str(world.member.id),
        "code": world.join_code,
        "token": world.import_token,
        "fmt": "csv",
        "filename": "app.css",
    }


def fill(rule: str, values: dict[str, str]) -> str:
    """`rule` ("/decks/<slug>/enroll") with each parameter replaced by its value in `values` ("1" if none)."""
    return re.sub(r"<(?:[a-z]+:)?(\w+)>", lambda match: values.get(match.group(1), "1"), rule)


class _Forms(HTMLParser):
    """The POST forms of a page: their action's path and the fields as the page fills them in."""

    def __init__(self, page_path: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.forms: dict[str, list[tuple[str, str]]] = {}
        self._current: list[tuple[str, str]] | None = None
        self._select: str | None = None
        self._chosen: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "form" and found.get("method", "").lower() == "post":
            action = urlsplit(found.get("action") or self.page_path).path
            self._current = self.forms.setdefault(action, [])
            self._chosen = {}
        elif self._current is None:
            return
        elif tag == "option" and self._select is not None:
            if self._select not in self._chosen or "selected" in found:
                self._chosen[self._select] = found.get("value", "")
        elif not found.get("name"):
            return
        elif tag == "input" and found.get("type") not in ("submit", "file", "button"):
            if found.get("type") in ("checkbox", "radio") and "checked" not in found:
                return
            self._current.append((found["name"], found.get("value", "")))
        elif tag == "textarea":
            self._current.append((found["name"], "text"))
        elif tag == "select":
            self._select = found["name"]
        elif tag == "button" and found.get("value"):
            self._current.append((found["name"], found["value"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._current is not None:
            self._current.extend(self._chosen.items())
            self._current = None
        elif tag == "select":
            self._select = None


def page_forms(html: str, page_path: str) -> dict[str, list[tuple[str, str]]]:
    """The POST forms of a page, as a browser would submit them untouched: action path -> fields (hidden
    and filled-in inputs, ticked boxes, each select's chosen option, a button's value; no CSRF token)."""
    forms = _Forms(page_path)
    forms.feed(html)
    return {
        action: [(name, value) for name, value in fields if name != "csrf_token"]
        for action, fields in forms.forms.items()
    }

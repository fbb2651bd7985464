"""The forms and links of a page, read the way a browser reads them (the standard library's HTML parser).

The simulated learners never hard-code a field: they submit what the page's forms carry (CSRF token,
card id, version, shown_at, session...), so they follow the templates as they change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Button:
    name: str | None
    value: str
    text: str = ""


@dataclass
class Form:
    """One <form>: where it goes, its classes, the fields a browser would send, and its submit buttons."""

    action: str
    method: str
    classes: frozenset[str]
    hx_post: str | None = None
    hx_get: str | None = None
    fields: list[tuple[str, str]] = field(default_factory=list)  # hidden/text inputs, checked boxes, selects
    options: dict[str, list[str]] = field(default_factory=dict)  # every value of each checkbox/radio name
    buttons: list[Button] = field(default_factory=list)

    def data(self, button: Button | None = None, **changes: str) -> dict[str, str | list[str]]:
        """What submitting the form with `button` sends; `changes` replace fields (a list for several)."""
        sent: dict[str, str | list[str]] = {}
        for name, value in self.fields:
            if name in sent:
                previous = sent[name]
                sent[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
            else:
                sent[name] = value
        if button is not None and button.name:
            sent[button.name] = button.value
        sent.update(changes)
        return sent

    def value(self, name: str) -> str | None:
        return next((value for field_name, value in self.fields if field_name == name), None)

    def button(self, name: str | None = None, value: str | None = None) -> Button | None:
        for button in self.buttons:
            if (name is None or button.name == name) and (value is None or button.value == value):
                return button
        return None


@dataclass
class Link:
    href: str
    classes: frozenset[str]
    hx_get: str | None = None
    text: str = ""


@dataclass
class Page:
    forms: list[Form]
    links: list[Link]
    ids: set[str]
    data_card_id: str | None  # the shown card (data-card-id of the study card's article)
    data_side: str | None

    def form(self, cls: str | None = None, action: str | None = None) -> Form | None:
        """The first form with class `cls` and/or whose action starts with `action`."""
        for form in self.forms:
            if cls is not None and cls not in form.classes:
                continue
            if action is not None and not (form.action or "").startswith(action):
                continue
            return form
        return None

    def link(self, cls: str | None = None, href: str | None = None) -> Link | None:
        for link in self.links:
            if cls is not None and cls not in link.classes:
                continue
            if href is not None and not link.href.startswith(href):
                continue
            return link
        return None


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[Link] = []
        self.ids: set[str] = set()
        self.card_id: str | None = None
        self.side: str | None = None
        self._form: Form | None = None
        self._button: Button | None = None
        self._link: Link | None = None
        self._select: str | None = None
        self._select_value: str | None = None
        self._select_first: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: (value or "") for name, value in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if "data-card-id" in a and self.card_id is None:
            self.card_id = a["data-card-id"]
            self.side = a.get("data-side")
        classes = frozenset(a.get("class", "").split())
        if tag == "form":
            self._form = Form(
                action=a.get("action", ""),
                method=a.get("method", "get").lower(),
                classes=classes,
                hx_post=a.get("hx-post"),
                hx_get=a.get("hx-get"),
            )
            self.forms.append(self._form)
        elif tag == "a" and "href" in a:
            self._link = Link(a["href"], classes, a.get("hx-get"))
            self.links.append(self._link)
        elif self._form is None:
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            name = a.get("name")
            if not name:
                return
            if kind in ("checkbox", "radio"):
                self._form.options.setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    self._form.fields.append((name, a.get("value", "on")))
            elif kind == "submit":
                self._form.buttons.append(Button(name, a.get("value", "")))
            elif kind not in ("button", "reset", "file", "image"):
                self._form.fields.append((name, a.get("value", "")))
        elif tag == "button":
            if a.get("type", "submit").lower() == "submit":
                self._button = Button(a.get("name"), a.get("value", ""))
                self._form.buttons.append(self._button)
        elif tag == "select":
            self._select = a.get("name")
            self._select_value = self._select_first = None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                self._select_value = value
        elif tag == "textarea" and a.get("name"):
            self._form.fields.append((a["name"], ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "button":
            self._button = None
        elif tag == "a":
            self._link = None
        elif tag == "select" and self._form is not None and self._select:
            chosen = self._select_value if self._select_value is not None else self._select_first
            self._form.fields.append((self._select, chosen or ""))
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._button is not None:
            self._button.text += data
        if self._link is not None:
            self._link.text += data


def read(html: str, url: str = "/") -> Page:
    """Parse a page or an htmx fragment served at `url` (a form without an action posts back to it)."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    for form in reader.forms:
        form.action = form.action or url
    return Page(reader.forms, reader.links, reader.ids, reader.card_id, reader.side)

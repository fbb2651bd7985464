"""Input hygiene, decided once where a request enters the app: characters no field of ours can take are
refused with a 400 page that names the character and where it was, before any view, form or query sees
the request (a NUL byte reached PostgreSQL, which refuses it, and made a 500 of every text input).

Refused everywhere (the address, the query string, form fields and their names, uploaded file names,
JSON strings and keys): C0 and C1 control characters, DEL, unpaired surrogates, and the bidirectional
embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), which make text show in another order
than it is stored. Tab, line feed and carriage return are text in a form or a query (a note's lines), never
in the address. The invisible direction marks (U+200E, U+200F, U+061C) are refused in the address; in
values they come with copied text and change nothing about its order, so they are let through: the
content rules drop them (`content.text.clean_text`) and the templates strip them from whatever they show
(`templating.finalize`). Pure rules in `content/text.py`; this module is the request side.

One exception (`CHECKED_BY_VIEW`): the reader's text box is left to the reader's own check, which refuses
the same characters with a message beside the box (a pasted post is where they turn up), and what another
app shares into it (/read/share) arrives with them dropped and a word beside the box.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import Flask, Response, jsonify, make_response, render_template, request

from learnapp.content.text import character_name, refused_in_path, refused_in_value

# Form fields whose view checks their characters itself and answers with a message beside the field, not
# this 400 page (endpoint -> field names): the reader's box, where a post pasted from an app often brings a
# control character along. `reader.texts.check_text` refuses the same characters, so nothing with one in
# it is stored; the field's name, the other fields and every other endpoint are checked here as before.
CHECKED_BY_VIEW: dict[str, frozenset[str]] = {
    "reader.paste": frozenset({"text"}),
    "reader.share": frozenset({"text", "title"}),  # what another app shares; the view drops them and says so
}
# A name of a field or parameter longer than this is cut in the message (it is the client's text).
_NAME_SHOWN = 40
TITLE = "A character we can't accept"
# The endpoints that read a JSON body. Everywhere else a JSON body is refused (415): Flask-WTF would take it
# as the form's data, and a list or a nested object there is no form (a 500 the route fuzzing found).
JSON_ENDPOINTS = frozenset({"offline.sync"})


def _walk_json(document: Any, where: str) -> Iterator[tuple[str, str]]:
    """Every string in a JSON document (keys too), with where it was; a loop, not recursion, so a deeply
    nested document is walked like a flat one."""
    stack = [document]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            yield value, where
        elif isinstance(value, dict):
            for key, item in value.items():
                yield str(key), f"a key of {where}"
                stack.append(item)
        elif isinstance(value, list):
            stack.extend(value)


def _named(kind: str, name: str) -> str:
    if refused_in_value(name) is not None:
        return f"the name of {kind}"
    shown = name if len(name) <= _NAME_SHOWN else name[:_NAME_SHOWN] + "…"
    return f"{kind} “{shown}”"


class TooDeep(Exception):
    """A JSON document nested deeper than Python's parser goes (it raises RecursionError, not ValueError)."""


def _json_document() -> Any:
    """The request's JSON (None if it is not JSON); Flask keeps it for the view."""
    try:
        return request.get_json(silent=True)
    except RecursionError as error:
        raise TooDeep from error


# Where a text was: a phrase, or (a kind of value, its field's name) put into words only when refused.
Where = str | tuple[str, str]


def _texts() -> Iterator[tuple[str, Where, bool]]:
    """(text, where it was, is it the address) for everything a request brings."""
    yield request.path, "the address", True
    own_check = CHECKED_BY_VIEW.get(request.endpoint or "", frozenset())
    for key, value in request.args.items(multi=True):
        yield key, "the name of a query parameter", False
        if key not in own_check:
            yield value, ("the query parameter", key), False
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if request.is_json:
            document = _json_document()
            if document is not None:
                yield from ((text, where, False) for text, where in _walk_json(document, "the JSON body"))
        else:
            # A multipart part whose name werkzeug cannot read (name="\") comes with the name None.
            for key, value in request.form.items(multi=True):
                yield key or "", "the name of a form field", False
                if key not in own_check:
                    yield value, ("the form field", key or ""), False
            for key, upload in request.files.items(multi=True):
                yield key or "", "the name of a form field", False
                yield upload.filename or "", ("the name of the file sent as", key or ""), False


def refused_character() -> tuple[str, str] | None:
    """The first character this request may not bring, and where it was; None when all is well."""
    for text, where, is_path in _texts():
        if text.isascii() and text.isprintable():  # the common case, decided without a search
            continue
        char = refused_in_path(text) if is_path else refused_in_value(text)
        if char is not None:
            return char, where if isinstance(where, str) else _named(*where)
    return None


def refuse(char: str, where: str) -> Response:
    """A 400 naming the character and where it was: a page; JSON for a JSON request; for htmx, the message
    in the page's message area (the form and what was typed in it stay as they are)."""
    from learnapp.htmx import is_htmx, render

    message = (
        f"{where[0].upper()}{where[1:]} contains {character_name(char)} (U+{ord(char):04X}), which we "
        "don't accept: it cannot be stored or shown as text. Remove it (retyping the text helps) and try "
        "again."
    )
    if request.is_json:
        response = jsonify(error="invalid", message=message)
        response.status_code = 400
    elif is_htmx():
        response = make_response(render_template("errors/_refused.html", message=message), 400)
        response.headers["HX-Retarget"] = "#flashes"
        response.headers["HX-Reswap"] = "innerHTML show:top"
        response.vary.add("HX-Request")
    else:
        response = render(
            "errors/error.html",
            "errors/_error.html",
            status=400,
            status_code=400,
            title=TITLE,
            message=message,
        )
    response.headers["Cache-Control"] = "no-store"
    return response


def too_deep() -> Response:
    """A 400 in JSON for a JSON body nested too deeply to read."""
    response = jsonify(error="invalid", message="The JSON body is nested too deeply to be read.")
    response.status_code = 400
    response.headers["Cache-Control"] = "no-store"
    return response


def not_json() -> Response:
    """A 415 for a JSON body sent where a form is expected."""
    response = jsonify(error="unsupported", message="This address takes a form, not JSON.")
    response.status_code = 415
    response.headers["Cache-Control"] = "no-store"
    return response


def install(app: Flask) -> None:
    """Register the check as the app's first hook that reads the request (only the request log's timer,
    which reads nothing of it, comes before, so a refusal is logged like any response)."""

    def _check_input() -> Response | None:
        if request.is_json and request.method != "GET" and request.endpoint not in JSON_ENDPOINTS:
            return not_json()
        try:
            found = refused_character()
        except TooDeep:
            return too_deep()
        return refuse(*found) if found else None

    app.before_request_funcs.setdefault(None, []).append(_check_input)

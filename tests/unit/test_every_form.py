"""Every form in the templates that POSTs carries its CSRF token and a label for each of its inputs.

Read from the templates themselves (templates/**/*.html), so a new form is checked the day it is written:
a `<form method="post">` must hold `csrf_token` (the `field`-less `post_button` macro, `form.csrf_token` or
a hidden `csrf_token` input); each `<input>`, `<select>` and `<textarea>` written in HTML inside it must
be named by a `<label for>`, an enclosing `<label>` or `aria-label`; each WTForms field called directly
(not through the `field` and `choices` macros, which label theirs) must be inside a `<label>` or have its
`.label` in the same template, unless it is hidden. The one exemption is the one-click unsubscribe, which
a mail client posts without a session (RFC 8058; tests/http/test_route_table.py has its row).
Bad input per form (the message beside the field, never a 500) is tests/http/test_every_form_bad_input.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
CONTROL = re.compile(r"<(input|select|textarea)\b([^>]*)>", re.I)
RAW_FIELD = re.compile(r"\{\{\s*(\w*form)\.(\w+)\(")
NO_CSRF = {"reminders/unsubscribe.html": "one-click List-Unsubscribe-Post (RFC 8058), no session"}
# WTForms fields called directly that need no label of their own: hidden fields, and the pinyin box that
# the live preview swaps in out of band (its label is in teach/_entry_fields.html, through `field`).
UNLABELLED_FIELDS = {
    "pinyin_auto": "a hidden field",
    "timezone": "a hidden field, filled from the browser",
    "pinyin": "swapped in place of the labelled field (teach/_pinyin_preview.html)",
}


def post_forms() -> list[tuple[str, str, str]]:
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for match in FORM.finditer(text):
            attrs, body = match.groups()
            if re.search(r"method=[\"']?post", attrs, re.I):
                found.append((str(path.relative_to(TEMPLATES)), body, text))
    return found


FORMS = post_forms()


def test_the_templates_have_post_forms_to_check():
    assert len(FORMS) >= 40  # 53 when written; a broken pattern would find none


@pytest.mark.parametrize(
    ("name", "body", "text"), FORMS, ids=[f"{name}#{i}" for i, (name, *_) in enumerate(FORMS)]
)
def test_every_post_form_has_its_csrf_token_and_labels(name, body, text):
    if name not in NO_CSRF:
        assert re.search(r"csrf_token|hidden_tag\(\)", body), f"{name}: a POST form without its CSRF token"
    unlabelled = []
    for control in CONTROL.finditer(body):
        attrs = control.group(2)
        if re.search(r"type=[\"'](hidden|submit|button)[\"']", attrs) or re.search(
            r"aria-label(ledby)?=", attrs
        ):
            continue
        ident = re.search(r"\bid=\"([^\"]+)\"", attrs)
        if ident and re.search(rf"<label[^>]*\bfor=\"{re.escape(ident.group(1))}\"", text):
            continue
        before = body[: control.start()]
        if before.rfind("<label") > before.rfind("</label>"):
            continue
        unlabelled.append(control.group(0))
    for call in RAW_FIELD.finditer(body):
        form, field = call.groups()
        before = body[: call.start()]
        if (
            field in UNLABELLED_FIELDS
            or f"{form}.{field}.label" in text
            or before.rfind("<label") > before.rfind("</label>")
        ):
            continue
        unlabelled.append(call.group(0))
    assert unlabelled == [], f"{name}: inputs without a label: {unlabelled}"

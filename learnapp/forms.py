"""What every form page shares: a service's error shown beside the field it names, text fields cleaned by
the content rules (`clean`, `clean_line`), decimal numbers that are numbers (`FiniteDecimalField`), the code
form."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_wtf import FlaskForm
from wtforms import DecimalField, StringField
from wtforms.validators import InputRequired, Length

from learnapp.content.text import clean_text
from learnapp.errors import UserError

TOO_LONG = "Too long: at most %(max)d characters."


def field_error(form: Any, error: UserError) -> None:
    """Put `error` beside its field on `form`, keeping what the user typed.

    An error that names no field of this form is not the form's to show: it propagates, and the app's
    error handler answers with the error's own status (403, 404, 409...) and page."""
    target = getattr(form, error.field, None) if error.field else None
    if target is None or not hasattr(target, "errors"):
        raise error
    target.errors = [*target.errors, error.message]


class CodeForm(FlaskForm):
    """A join code or a teacher invite code."""

    code = StringField(
        "Code",
        validators=[InputRequired("Enter the code."), Length(max=40, message="That code is too long.")],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )


class FiniteDecimalField(DecimalField):
    """A decimal field that takes finite numbers only. Python's Decimal reads "nan", "sNaN", "inf" and
    "-Infinity" as numbers, and comparing a signalling NaN with a bound raises (a 500): here they are not a
    number at all, so the field's own "type a number" message shows beside it. Every decimal field of ours
    is one of these (checked by tests/http/test_input_hygiene.py)."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        number: Decimal | None = self.data  # type: ignore[has-type]
        if number is not None and not number.is_finite():
            self.data = None
            raise ValueError(self.gettext("Not a valid decimal value."))


def clean(value: str | None, limit: int, name: str, label: str) -> str:
    """A text field (line breaks allowed) through the content rules' `clean_text`: a refused character or
    a text over `limit` characters is a UserError beside the field `name`, worded with `label`."""
    return _cleaned(value, limit, name, label, multiline=True)


def clean_line(value: str | None, limit: int, name: str, label: str) -> str:
    """A one-line text field the same way: runs of spaces become one, a line break is refused."""
    return _cleaned(value, limit, name, label, multiline=False)


def _cleaned(value: str | None, limit: int, name: str, label: str, *, multiline: bool) -> str:
    text, problem = clean_text(value or "", name, limit=limit, multiline=multiline, label=label)
    if problem is not None:
        raise UserError(problem.sentence, field=name)
    return text

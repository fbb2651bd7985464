"""The learner's settings form. Every field is checked here; bad values come back beside their field."""

from __future__ import annotations

from zoneinfo import available_timezones

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, NumberRange, StopValidation

from learnapp.auth.forms import email_field
from learnapp.forms import FiniteDecimalField
from learnapp.settings.service import MAX_NEW, MAX_REVIEWS, RETENTION_MAX, RETENTION_MIN, TONE_SCHEMES


def _timezones() -> list[tuple[str, str]]:
    return [
        (name, name.replace("_", " "))
        for name in sorted(available_timezones())
        if "/" in name or name == "UTC"
    ]


class NumberFirst:
    """A number field's message when the value isn't a number at all ("abc")."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form, field) -> None:
        if field.data is None and field.raw_data and field.raw_data[0].strip():
            field.errors[:] = []
            raise StopValidation(self.message)


class SettingsForm(FlaskForm):
    display_name = StringField(
        "Display name",
        validators=[Length(max=30, message="At most 30 characters.")],
        description="Shown in the header. Your Chinese nickname, or any name you like.",
    )
    desired_retention = FiniteDecimalField(
        "Desired retention",
        places=2,
        validators=[
            NumberFirst(f"Type a number between {RETENTION_MIN:.2f} and {RETENTION_MAX:.2f}, like 0.90."),
            InputRequired(f"Type a number between {RETENTION_MIN:.2f} and {RETENTION_MAX:.2f}, like 0.90."),
            NumberRange(
                RETENTION_MIN, RETENTION_MAX, f"Between {RETENTION_MIN:.2f} and {RETENTION_MAX:.2f}."
            ),
        ],
    )
    new_per_day = IntegerField(
        "New cards a day",
        validators=[
            NumberFirst("Type a whole number."),
            InputRequired("Type a whole number."),
            NumberRange(0, MAX_NEW, f"Between 0 and {MAX_NEW}."),
        ],
    )
    reviews_per_day = IntegerField(
        "Reviews a day (at most)",
        validators=[
            NumberFirst("Type a whole number."),
            InputRequired("Type a whole number."),
            NumberRange(0, MAX_REVIEWS, f"Between 0 and {MAX_REVIEWS}."),
        ],
    )
    timezone = SelectField("Timezone", choices=_timezones(), validate_choice=True)
    day_rollover_hour = IntegerField(
        "New day starts at (hour)",
        validators=[
            NumberFirst("Type an hour from 0 to 23."),
            InputRequired("Type an hour from 0 to 23."),
            NumberRange(0, 23, "An hour from 0 to 23."),
        ],
    )
    tone_scheme = SelectField("Tone colours", choices=list(TONE_SCHEMES.items()), validate_choice=True)
    ruby = BooleanField("Pinyin above the characters")
    bury_siblings = BooleanField("Show only one card of a word a day")
    reminder_enabled = BooleanField("Send me a daily reminder when cards are due")
    # An empty or malformed time gets this one message (TimeField's own, instead of "Not a valid time").
    reminder_time = TimeField(
        "Reminder time",
        format=["%H:%M", "%H:%M:%S"],
        invalid_value_message="Type a time like 19:30 (hour 0-23, then minutes).",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = _timezones()


class EmailForm(FlaskForm):
    """A new address for the account, confirmed with the password."""

    email = email_field("New email address")
    password = PasswordField(
        "Your password",
        validators=[
            InputRequired("Enter your password to confirm."),
            Length(max=128, message="That's too long."),
        ],
    )

"""The delete-account form. Field errors are shown beside their fields."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import InputRequired, Length


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        "Your password",
        validators=[
            InputRequired("Enter your password to confirm."),
            Length(max=128, message="That's too long."),
        ],
    )

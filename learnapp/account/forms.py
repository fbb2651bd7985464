"""The account's forms: change the password, delete the account. Field errors are shown beside their
fields."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import EqualTo, InputRequired, Length


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        "Your password",
        validators=[
            InputRequired("Enter your password to confirm."),
            Length(max=128, message="That's too long."),
        ],
    )


class PasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password",
        validators=[
            InputRequired("Enter your current password."),
            Length(max=128, message="That's too long."),
        ],
    )
    new_password = PasswordField(
        "New password",
        validators=[InputRequired("Choose a new password."), Length(8, 128, "Between 8 and 128 characters.")],
    )
    confirm_password = PasswordField(
        "Repeat the new password",
        validators=[
            InputRequired("Repeat the new password."),
            EqualTo("new_password", "The two passwords differ."),
        ],
    )


class LogoutOthersForm(FlaskForm):
    """ "Log out all other devices": a button (and its CSRF token)."""

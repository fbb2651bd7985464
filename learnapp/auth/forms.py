"""Account forms. Field errors are shown beside their fields."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length, Regexp

USERNAME_RULE = Regexp(r"^[A-Za-z0-9_.-]+$", message="Use letters, digits, '.', '-' and '_' only.")


class SignupForm(FlaskForm):
    username = StringField(
        "Username",
        validators=[
            InputRequired("Choose a username."),
            Length(3, 30, "Between 3 and 30 characters."),
            USERNAME_RULE,
        ],
    )
    email = EmailField(
        "Email",
        validators=[
            InputRequired("Enter your email address."),
            Length(max=254, message="That email address is too long."),
            Email("That doesn't look like an email address.", check_deliverability=False),
        ],
    )
    password = PasswordField(
        "Password",
        validators=[InputRequired("Choose a password."), Length(8, 128, "Between 8 and 128 characters.")],
    )
    timezone = HiddenField("Timezone")


class LoginForm(FlaskForm):
    login = StringField(
        "Username or email",
        validators=[
            InputRequired("Enter your username or email."),
            Length(max=254, message="That's too long."),
        ],
    )
    password = PasswordField(
        "Password",
        validators=[InputRequired("Enter your password."), Length(max=128, message="That's too long.")],
    )


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def email_field(label: str = "Email") -> EmailField:
    """An address as typed (surrounding spaces dropped), checked for its form, never for deliverability."""
    return EmailField(
        label,
        filters=[_strip],
        validators=[
            InputRequired("Enter your email address."),
            Length(max=254, message="That email address is too long."),
            Email("That doesn't look like an email address.", check_deliverability=False),
        ],
    )


class ForgotPasswordForm(FlaskForm):
    """ "Forgot password?": the address a reset link goes to (if it has an account; we never say)."""

    email = email_field("Your email address")


class ResetPasswordForm(FlaskForm):
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

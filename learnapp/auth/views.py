"""Sign up, log in, log out, change password."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from learnapp.auth import service
from learnapp.auth.forms import LoginForm, PasswordForm, SignupForm
from learnapp.errors import UserError
from learnapp.extensions import limiter
from learnapp.htmx import render, see_other
from learnapp.models import utcnow

bp = Blueprint("auth", __name__)


def _auth_limit() -> str:
    return current_app.config["AUTH_RATE_LIMIT"]


def safe_next(target: str | None) -> str:
    """`next` only ever leads to a path on this site."""
    if not target:
        return url_for("main.home")
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
    ):
        return url_for("main.home")
    return target


def _start_session(user) -> None:
    """Log in on a fresh session (no fixation): clear the old one, then remember the user."""
    session.clear()
    login_user(user)
    session.permanent = True


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(_auth_limit, methods=["POST"])
def signup():
    """Create an account, then start the user's first session."""
    if current_user.is_authenticated:
        return see_other(url_for("main.home"))
    form = SignupForm()
    if form.validate_on_submit():
        try:
            user = service.register(
                form.username.data, form.email.data, form.password.data, form.timezone.data, utcnow()
            )
        except UserError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            _start_session(user)
            return see_other(url_for("onboarding.welcome"))
    status = 422 if form.is_submitted() else 200
    return render("auth/signup.html", form=form, status=status)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_auth_limit, methods=["POST"])
def login():
    """Log in with a username or email and a password."""
    if current_user.is_authenticated:
        return see_other(safe_next(request.args.get("next")))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = service.authenticate(form.login.data, form.password.data)
        if user is not None:
            _start_session(user)
            return see_other(safe_next(request.args.get("next")))
        error = "Wrong username, email or password."
    status = 422 if form.is_submitted() else 200
    return render("auth/login.html", form=form, error=error, status=status)


@bp.post("/logout")
def logout():
    """Log out and forget the session."""
    logout_user()
    session.clear()
    flash("You're logged out. 再见!", "success")
    return see_other(url_for("main.home"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change the password (other devices are logged out)."""
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            service.change_password(current_user, form.current_password.data, form.new_password.data)
        except UserError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            _start_session(current_user._get_current_object())
            flash("Password changed. Other devices have been logged out.", "success")
            return see_other(url_for("main.home"))
    status = 422 if form.is_submitted() else 200
    return render("auth/password.html", form=form, status=status)

"""The account: change the password; my data (what we keep, the exports in JSON and CSV) and deleting
the account."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, flash, session, url_for
from flask_login import current_user, login_required, logout_user

from learnapp.account import deletion, export
from learnapp.account.forms import DeleteAccountForm, LogoutOthersForm, PasswordForm
from learnapp.account.summary import export_filename, summary
from learnapp.auth import service as auth
from learnapp.auth.sessions import UNKNOWN_DEVICE, devices_of, end_device, end_other_sessions, start_session
from learnapp.errors import UserError
from learnapp.extensions import limiter
from learnapp.forms import field_error
from learnapp.htmx import render, see_other
from learnapp.models import utcnow
from learnapp.ratelimit import TooManyFailures, login_failures

bp = Blueprint("account", __name__, url_prefix="/account")

DELETED = "Your account and everything about you has been deleted."


def _auth_limit() -> str:
    return current_app.config["AUTH_RATE_LIMIT"]


def _share_url(token: str) -> str:
    """A nickname's public page (served by the share blueprint), as a full address."""
    return url_for("share.page", token=token, _external=True)


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    """An attachment that no cache (shared or private) may keep."""
    response = Response(body, mimetype=mimetype)
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    response.headers["Cache-Control"] = "no-store"
    return response


def _account_key() -> str:
    return f"account:{current_user.get_id()}"


@bp.route("/password", methods=["GET", "POST"])
@login_required
@limiter.limit(_auth_limit, key_func=_account_key, methods=["POST"])
def password():
    """Change the password (other devices are logged out). Wrong current passwords count as failed logins."""
    form = PasswordForm()
    status = 422 if form.is_submitted() else 200
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            auth.change_password(user, form.current_password.data, form.new_password.data, login_failures())
        except UserError as error:
            field_error(form, error)
        except TooManyFailures as refused:
            field_error(form, UserError(refused.message, field="current_password"))
            status = 429
        else:
            start_session(user)
            flash("Password changed. Other devices have been logged out.", "success")
            return see_other(url_for("main.home"))
    return render("account/password.html", form=form, status=status)


@bp.get("/sessions")
@login_required
def sessions():
    """The devices logged in to the account, with "Log out all other devices"."""
    return render("account/sessions.html", devices=devices_of(current_user), form=LogoutOthersForm())


@bp.post("/sessions/others")
@login_required
def logout_others():
    """End every session of the account but this one."""
    form = LogoutOthersForm()
    if not form.validate_on_submit():
        return see_other(url_for("account.sessions"))
    ended = end_other_sessions(current_user)
    if ended:
        flash(f"Logged out {ended} other device{'s' if ended != 1 else ''}.", "success")
    else:
        flash("No other device was logged in.", "info")
    return see_other(url_for("account.sessions"))


@bp.post("/sessions/<int:session_id>/end")
@login_required
def end_one(session_id: int):
    """Log out one other device (a lost phone, a shared computer)."""
    form = LogoutOthersForm()
    if not form.validate_on_submit():
        return see_other(url_for("account.sessions"))
    ended = end_device(current_user, session_id)
    if ended is None:
        flash("That device is no longer logged in.", "info")
    else:
        flash(f"Logged out {ended or UNKNOWN_DEVICE}.", "success")
    return see_other(url_for("account.sessions"))


@bp.get("/data")
@login_required
def my_data():
    """What we keep about you, with the exports and the way to delete it all."""
    return render("account/data.html", summary=summary(current_user))


@bp.get("/data/export.json")
@login_required
def export_json():
    """Everything about you as one JSON file."""
    now = utcnow()
    body = export.export_json(current_user, now, _share_url)
    return _download(body, "application/json", export_filename(current_user, now, "json"))


@bp.get("/data/reviews.csv")
@login_required
def export_csv():
    """Your review log as CSV, one answer a row."""
    body = export.review_log_csv(current_user)
    return _download(body, "text/csv", export_filename(current_user, utcnow(), "csv"))


@bp.route("/delete", methods=["GET", "POST"])
@login_required
@limiter.limit(_auth_limit, methods=["POST"])
def delete():
    """Delete the account and everything about it, after the password."""
    form = DeleteAccountForm()
    status = 422 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            deletion.delete_account(current_user, form.password.data, login_failures())
        except UserError as error:
            field_error(form, error)
        except TooManyFailures as refused:
            field_error(form, UserError(refused.message, field="password"))
            status = 429
        else:
            logout_user()
            session.clear()
            flash(DELETED, "success")
            return see_other(url_for("main.home"))
    return render(
        "account/delete.html",
        "account/_delete_form.html",
        status=status,
        form=form,
        summary=summary(current_user),
    )

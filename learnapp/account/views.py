"""My data: what we keep, the exports (JSON, CSV) and deleting the account."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, flash, session, url_for
from flask_login import current_user, login_required, logout_user

from learnapp.account import service
from learnapp.account.forms import DeleteAccountForm
from learnapp.errors import UserError
from learnapp.extensions import limiter
from learnapp.htmx import render, see_other
from learnapp.models import utcnow

bp = Blueprint("account", __name__, url_prefix="/account")

DELETED = "Your account and everything about you has been deleted."


def _delete_limit() -> str:
    return current_app.config["AUTH_RATE_LIMIT"]


def _share_url(token: str) -> str:
    """A nickname's public page (served by the onboarding blueprint), as a full address."""
    return url_for("onboarding.share", token=token, _external=True)


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    """An attachment that no cache (shared or private) may keep."""
    response = Response(body, mimetype=mimetype)
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/data")
@login_required
def my_data():
    """What we keep about you, with the exports and the way to delete it all."""
    return render("account/data.html", summary=service.summary(current_user))


@bp.get("/data/export.json")
@login_required
def export_json():
    """Everything about you as one JSON file."""
    now = utcnow()
    body = service.export_json(current_user, now, _share_url)
    return _download(body, "application/json", service.export_filename(current_user, now, "json"))


@bp.get("/data/reviews.csv")
@login_required
def export_csv():
    """Your review log as CSV, one answer a row."""
    body = service.review_log_csv(current_user)
    return _download(body, "text/csv", service.export_filename(current_user, utcnow(), "csv"))


@bp.route("/delete", methods=["GET", "POST"])
@login_required
@limiter.limit(_delete_limit, methods=["POST"])
def delete():
    """Delete the account and everything about it, after the password."""
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            service.delete_account(current_user, form.password.data)
        except UserError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            logout_user()
            session.clear()
            flash(DELETED, "success")
            return see_other(url_for("main.home"))
    status = 422 if form.is_submitted() else 200
    return render(
        "account/delete.html",
        "account/_delete_form.html",
        status=status,
        form=form,
        summary=service.summary(current_user),
    )

"""Settings: study limits, retention, day boundaries and display (/settings), and the learner's Chinese
nicknames with their share pages (/settings/nicknames)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, flash, request, url_for
from flask_login import current_user, login_required

from learnapp.auth import recovery
from learnapp.errors import UserError
from learnapp.extensions import limiter
from learnapp.forms import field_error
from learnapp.htmx import render, see_other
from learnapp.models import utcnow
from learnapp.ratelimit import TooManyFailures, login_failures
from learnapp.settings import service
from learnapp.settings.forms import EmailForm, SettingsForm
from learnapp.share import image as share_image
from learnapp.share import service as nicknames_service

bp = Blueprint("settings", __name__, url_prefix="/settings")


@bp.route("", methods=["GET", "POST"])
@login_required
def edit():
    """Study limits, retention, day boundaries, tone colours and ruby, display name."""
    form = SettingsForm(data=service.form_data(current_user))
    if form.validate_on_submit():
        service.save(current_user, form.data, utcnow())
        flash("Settings saved. Your next card uses them.", "success")
        return see_other(url_for("settings.edit"))
    status = 422 if form.is_submitted() else 200
    retention = current_user.desired_retention
    if form.desired_retention.data is not None and not form.desired_retention.errors:
        retention = float(form.desired_retention.data)
    return render(
        "settings/edit.html",
        form=form,
        status=status,
        workload=service.workload_table(retention),
        optimise_min=None,
        mail=service.mail_status(current_user),
    )


def _auth_limit() -> str:
    return current_app.config["AUTH_RATE_LIMIT"]


@bp.route("/email", methods=["GET", "POST"])
@login_required
@limiter.limit(_auth_limit, methods=["POST"])
def email():
    """The account's address: whether it is verified, a new verification link, a new address."""
    form = EmailForm()
    status = 422 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            recovery.change_email(
                current_user, form.email.data, form.password.data, utcnow(), login_failures()
            )
        except UserError as error:
            field_error(form, error)
        except TooManyFailures as refused:
            field_error(form, UserError(refused.message, field="password"))
            status = 429
        else:
            flash(
                f"Your address is now {current_user.email}. Open the link we sent there to verify it; "
                "your old address got a notice.",
                "success",
            )
            return see_other(url_for("settings.email"))
    return render("settings/email.html", form=form, status=status, mail=service.mail_status(current_user))


@bp.get("/nicknames")
@login_required
def nicknames():
    """The learner's nicknames: share links, public or private, and a way to get a new one."""
    return render("settings/nicknames.html", nicknames=nicknames_service.nicknames(current_user))


@bp.post("/nicknames/<int:nickname_id>/visibility")
@login_required
def nickname_visibility(nickname_id: int):
    """Make a nickname's share page public again, or private (its link then shows nothing)."""
    public = request.form.get("public") == "1"
    nickname = nicknames_service.set_public(current_user, nickname_id, public)
    if not public:  # its share image stops being served, and its cached file goes
        share_image.forget(Path(current_app.config["SHARE_IMAGE_DIR"]), nickname.id)
    flash(
        f"The page of {nickname.hanzi} is "
        + ("public again." if public else "private now: its link shows nothing."),
        "success",
    )
    return see_other(url_for("settings.nicknames"))

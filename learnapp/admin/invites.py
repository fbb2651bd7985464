"""Redeeming a teacher invite code at /invite, which makes the one who redeems it a teacher (the codes are
handed out at /teach/invites, in learnapp/teach/views.py)."""

from __future__ import annotations

from flask import Blueprint, flash, url_for
from flask_login import current_user, login_required

from learnapp.admin import service
from learnapp.errors import UserError
from learnapp.forms import CodeForm, field_error
from learnapp.htmx import render, see_other
from learnapp.models import utcnow

bp = Blueprint("invites", __name__)


@bp.route("/invite", methods=["GET", "POST"])
@bp.route("/invite/<code>", methods=["GET"])
@login_required
def redeem(code: str | None = None):
    """Become a teacher with a teacher invite code."""
    form = CodeForm(data={"code": code} if code else None)
    if form.validate_on_submit():
        try:
            service.redeem_invite(current_user, form.code.data, utcnow())
        except UserError as error:
            field_error(form, error)
        else:
            flash("You're a teacher now: create a deck or a class.", "success")
            return see_other(url_for("teach.home"))
    return render("invites/redeem.html", form=form, status=422 if form.is_submitted() else 200)

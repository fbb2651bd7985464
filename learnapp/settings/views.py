"""The settings page."""

from __future__ import annotations

from flask import Blueprint, flash, url_for
from flask_login import current_user, login_required

from learnapp.htmx import render, see_other
from learnapp.settings import service
from learnapp.settings.forms import SettingsForm

bp = Blueprint("settings", __name__, url_prefix="/settings")


@bp.route("", methods=["GET", "POST"])
@login_required
def edit():
    """Study limits, retention, day boundaries, tone colours and ruby, display name."""
    form = SettingsForm(data=service.form_data(current_user))
    if form.validate_on_submit():
        service.save(current_user, form.data)
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
    )

"""The admin page: every account with its role; promote and demote; allow teachers to invite teachers."""

from __future__ import annotations

from flask import Blueprint, flash, request, url_for
from flask_login import current_user, login_required

from learnapp.admin import service as admin
from learnapp.htmx import render, see_other
from learnapp.models import ROLES

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
@login_required
def users():
    """Accounts by username, with their role and whether they may hand out teacher invites."""
    query = request.args.get("q", "")
    rows, total = admin.list_users(current_user, query)
    return render("admin/users.html", users=rows, total=total, query=query, roles=ROLES)


def _back():
    query = request.form.get("q", "")
    return see_other(url_for("admin.users", q=query) if query else url_for("admin.users"))


@bp.post("/users/<int:user_id>/role")
@login_required
def set_role(user_id: int):
    """Give an account a role (not your own admin role away)."""
    user = admin.set_role(current_user, user_id, request.form.get("role", ""))
    flash(f"{user.username} is now {user.role}.", "success")
    return _back()


@bp.post("/users/<int:user_id>/invite")
@login_required
def set_can_invite(user_id: int):
    """Allow a teacher to hand out teacher invite codes, or stop them."""
    allowed = request.form.get("allowed") == "1"
    user = admin.set_can_invite(current_user, user_id, allowed)
    flash(
        f"{user.username} {'can now' if allowed else 'can no longer'} hand out teacher invite codes.",
        "success",
    )
    return _back()

"""The admin pages: every account with its role (promote and demote; allow teachers to invite teachers),
and the outbox: recent mails with their status, and each one's parts (on the embedded default the links in
them are how a newcomer verifies an address or resets a password without any mail server)."""

from __future__ import annotations

import re

from flask import Blueprint, Response, current_app, flash, request, url_for
from flask_login import current_user, login_required

from learnapp.admin import service as admin
from learnapp.htmx import render, see_other
from learnapp.mail import outbox as mail_outbox
from learnapp.mail.transport import smtp_settings
from learnapp.models import ROLES

bp = Blueprint("admin", __name__, url_prefix="/admin")

LINK = re.compile(r"https?://[^\s<>\"]+")
# The HTML part shown alone, sandboxed: no scripts, no forms, nothing fetched but inline styles and images.
HTML_PART_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"


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


# ---- the outbox ----------------------------------------------------------------------------------------


@bp.get("/outbox")
@login_required
def outbox():
    """The latest mails, newest first."""
    mails = mail_outbox.recent(current_user)
    return render(
        "admin/outbox.html",
        mails=mails,
        smtp=smtp_settings(current_app.config),
        shown=mail_outbox.OUTBOX_SHOWN,
    )


@bp.get("/outbox/<int:mail_id>")
@login_required
def outbox_mail(mail_id: int):
    """One mail: its headers, its plain part with the links in it, a way to see the HTML part."""
    mail = mail_outbox.one(current_user, mail_id)
    return render("admin/outbox_mail.html", mail=mail, links=LINK.findall(mail.text_body))


@bp.get("/outbox/<int:mail_id>/html")
@login_required
def outbox_mail_html(mail_id: int):
    """The HTML part as the mail client would show it, under a sandboxing policy of its own."""
    mail = mail_outbox.one(current_user, mail_id)
    response = Response(mail.html_body, mimetype="text/html")
    response.headers["Content-Security-Policy"] = HTML_PART_POLICY
    return response

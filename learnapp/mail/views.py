"""The admin's outbox: recent mails with their status, and each one's parts (on the embedded default the
links in them are how a newcomer verifies an address or resets a password without any mail server)."""

from __future__ import annotations

import re

from flask import Blueprint, Response
from flask_login import current_user, login_required

from learnapp.htmx import render
from learnapp.mail import outbox
from learnapp.mail.transport import smtp_settings

bp = Blueprint("mail", __name__, url_prefix="/admin/outbox")

LINK = re.compile(r"https?://[^\s<>\"]+")
# The HTML part shown alone, sandboxed: no scripts, no forms, nothing fetched but inline styles and images.
HTML_PART_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"


@bp.get("")
@login_required
def index():
    """The latest mails, newest first."""
    from flask import current_app

    mails = outbox.recent(current_user)
    return render(
        "admin/outbox.html", mails=mails, smtp=smtp_settings(current_app.config), shown=outbox.OUTBOX_SHOWN
    )


@bp.get("/<int:mail_id>")
@login_required
def show(mail_id: int):
    """One mail: its headers, its plain part with the links in it, a way to see the HTML part."""
    mail = outbox.one(current_user, mail_id)
    return render("admin/outbox_mail.html", mail=mail, links=LINK.findall(mail.text_body))


@bp.get("/<int:mail_id>/html")
@login_required
def html_part(mail_id: int):
    """The HTML part as the mail client would show it, under a sandboxing policy of its own."""
    mail = outbox.one(current_user, mail_id)
    response = Response(mail.html_body, mimetype="text/html")
    response.headers["Content-Security-Policy"] = HTML_PART_POLICY
    return response

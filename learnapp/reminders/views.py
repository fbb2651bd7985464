"""Stopping reminders from the link in one of them: a page with a button, and the one-click POST that
mail clients send for List-Unsubscribe-Post (RFC 8058). The signed link is the authority, not a login."""

from __future__ import annotations

from flask import Blueprint

from learnapp.extensions import csrf
from learnapp.htmx import render
from learnapp.mail.tokens import LinkProblem
from learnapp.reminders import service

bp = Blueprint("reminders", __name__)


def _bad_link():
    return render(
        "reminders/unsubscribe.html",
        status=400,
        user=None,
        done=False,
        problem="This link doesn't work: it may have been cut short. Turn reminders off in Settings instead.",
    )


@bp.get("/unsubscribe/<token>")
def unsubscribe(token: str):
    """Confirm before stopping (a link checker that opens the page changes nothing)."""
    try:
        user = service.unsubscribe_user(token)
    except LinkProblem:
        return _bad_link()
    return render("reminders/unsubscribe.html", user=user, done=False, problem=None)


@bp.post("/unsubscribe/<token>")
@csrf.exempt
def unsubscribe_now(token: str):
    """Turn the account's reminders off (the form's button, or a mail client's one-click POST)."""
    try:
        user = service.unsubscribe(token)
    except LinkProblem:
        return _bad_link()
    return render("reminders/unsubscribe.html", user=user, done=True, problem=None)

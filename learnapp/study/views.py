"""Today's study session: the card, show answer, grade, undo."""

from __future__ import annotations

from flask import Blueprint, current_app, request, url_for
from flask_login import current_user, login_required

from learnapp.errors import UserError
from learnapp.htmx import is_htmx, render, see_other
from learnapp.models import utcnow
from learnapp.study import service

bp = Blueprint("study", __name__, url_prefix="/study")


def _int_arg(source, name: str) -> int | None:
    value = source.get(name, "")
    return int(value) if value.isdigit() and len(value) < 18 else None


def _fuzz() -> bool:
    return current_app.config["FSRS_ENABLE_FUZZ"]


def _show(view, side: str = "front", status: int = 200, message: str | None = None):
    return render(
        "study/today.html", "study/_card.html", status=status, view=view, side=side, oob=True, message=message
    )


@bp.get("")
@login_required
def today():
    """Today's queue: the next card (front, or back with ?side=back)."""
    view = service.today(current_user, utcnow(), card_id=_int_arg(request.args, "card"), enable_fuzz=_fuzz())
    side = "back" if request.args.get("side") == "back" and view.card is not None else "front"
    return _show(view, side)


@bp.post("/answer")
@login_required
def answer():
    """Grade the shown card; htmx gets the next card, a plain form a 303 back to the queue."""
    card_id = _int_arg(request.form, "card_id")
    version = _int_arg(request.form, "version")
    if card_id is None or version is None:
        raise UserError("That answer was missing its card. Reload the page and try again.")
    rating = service.parse_rating(request.form.get("rating"))
    view = service.answer(
        current_user,
        card_id,
        rating,
        version,
        utcnow(),
        shown_at_ms=_int_arg(request.form, "shown_at"),
        enable_fuzz=_fuzz(),
    )
    if not is_htmx():
        return see_other(url_for("study.today"))
    return _show(view)


@bp.post("/undo")
@login_required
def undo():
    """Take back the latest answer and show that card again."""
    log_id = _int_arg(request.form, "log_id")
    if log_id is None:
        raise UserError("There's nothing to undo.")
    view = service.undo(current_user, log_id, utcnow(), enable_fuzz=_fuzz())
    if not is_htmx():
        target = url_for("study.today", card=view.card.id) if view.card else url_for("study.today")
        return see_other(target)
    return _show(view)

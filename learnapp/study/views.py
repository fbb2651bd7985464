"""Today's study session: the card, show answer, check a typed answer, grade, undo; custom sessions;
suspend, reset and the leech list."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, request, url_for
from flask_login import current_user, login_required

from learnapp.decks.service import enrolled_decks
from learnapp.errors import UserError
from learnapp.htmx import is_htmx, render, see_other
from learnapp.models import utcnow
from learnapp.numbers import small_int
from learnapp.study import answers, service
from learnapp.study.service import Session

bp = Blueprint("study", __name__, url_prefix="/study")


def _int_arg(source, name: str, digits: int = 9) -> int | None:
    return small_int(source.get(name), digits)


def _fuzz() -> bool:
    return current_app.config["FSRS_ENABLE_FUZZ"]


def _session(source) -> Session:
    return Session.parse(source.get("session"))


def _queue_url(session: Session, **args) -> str:
    if session.token:
        args["session"] = session.token
    return url_for("study.today", **args)


def _show(view, side: str = "front", status: int = 200, message: str | None = None, feedback=None):
    return render(
        "study/today.html",
        "study/_card.html",
        status=status,
        view=view,
        side=side,
        oob=True,
        message=message,
        feedback=feedback,
        queue_url=_queue_url,
    )


@bp.get("")
@login_required
def today():
    """Today's queue (or a custom session): the next card, front, or back with ?side=back."""
    session = _session(request.args)
    view = service.today(
        current_user, utcnow(), card_id=_int_arg(request.args, "card"), enable_fuzz=_fuzz(), session=session
    )
    side = "back" if request.args.get("side") == "back" and view.card is not None else "front"
    return _show(view, side)


@bp.post("/check")
@login_required
def check():
    """Check a typed-pinyin or tone-drill answer: the back of the card with feedback and a proposed grade.
    Nothing is written; the grade counts only when the learner presses one."""
    session = _session(request.form)
    card_id = _int_arg(request.form, "card_id")
    view = service.today(current_user, utcnow(), card_id=card_id, enable_fuzz=_fuzz(), session=session)
    if view.card is None or view.card.id != card_id:
        return _show(view, message="That card isn't due any more. Here is your next one.")
    feedback = answers.feedback(view.card.kind, view.entry, request.form)
    return _show(view, side="back", feedback=feedback)


@bp.post("/answer")
@login_required
def answer():
    """Grade the shown card; htmx gets the next card, a plain form a 303 back to the queue."""
    session = _session(request.form)
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
        shown_at_ms=_int_arg(request.form, "shown_at", digits=15),
        enable_fuzz=_fuzz(),
        session=session,
    )
    if not is_htmx():
        if view.notice:
            flash(view.notice, "info")
        return see_other(_queue_url(session))
    return _show(view)


@bp.post("/undo")
@login_required
def undo():
    """Take back the latest answer and show that card again."""
    session = _session(request.form)
    log_id = _int_arg(request.form, "log_id")
    if log_id is None:
        raise UserError("There's nothing to undo.")
    view = service.undo(current_user, log_id, utcnow(), enable_fuzz=_fuzz(), session=session)
    if not is_htmx():
        return see_other(_queue_url(session, card=view.card.id) if view.card else _queue_url(session))
    return _show(view)


@bp.get("/custom")
@login_required
def custom():
    """Choose a custom session: one deck, today's failed cards, or study ahead."""
    return render("study/custom.html", decks=enrolled_decks(current_user), max_days=service.MAX_AHEAD_DAYS)


@bp.post("/cards/<int:card_id>/suspend")
@login_required
def suspend(card_id: int):
    """Suspend the card: out of every queue until unsuspended; its progress is kept."""
    service.set_suspended(current_user, card_id, True)
    session = _session(request.form)
    if request.form.get("from") == "list":
        return see_other(url_for("study.flagged", show=request.form.get("show", "suspended")))
    if is_htmx():
        view = service.today(current_user, utcnow(), enable_fuzz=_fuzz(), session=session)
        return _show(view, message="Card suspended. Find it under Leeches & suspended to bring it back.")
    flash("Card suspended. Find it under Leeches & suspended to bring it back.", "info")
    return see_other(_queue_url(session))


@bp.post("/cards/<int:card_id>/unsuspend")
@login_required
def unsuspend(card_id: int):
    state = service.set_suspended(current_user, card_id, False)
    flash("Card back in your queue." if not state.leech else "Card back in your queue (still tagged leech).")
    return see_other(url_for("study.flagged", show=request.form.get("show", "leeches")))


@bp.post("/cards/<int:card_id>/reset")
@login_required
def reset(card_id: int):
    service.reset_card(current_user, card_id, utcnow())
    flash("Card reset: it starts again as a new card.", "info")
    return see_other(url_for("study.flagged", show=request.form.get("show", "leeches")))


@bp.get("/leeches")
@login_required
def flagged():
    """Leeches (cards lapsed LEECH_LAPSES times) or every suspended card, with reset and unsuspend."""
    show = "suspended" if request.args.get("show") == "suspended" else "leeches"
    cards = service.flagged_cards(current_user, show)
    return render("study/flagged.html", cards=cards, show=show, leech_lapses=service.LEECH_LAPSES)

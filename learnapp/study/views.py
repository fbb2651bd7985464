"""Today's study session: the card (its answer comes with it, shown without a request), check a typed
answer, grade, undo; the end of a session; custom sessions; suspend, reset and the leech list.

The progress bar keeps the session's planned total (in the signed session, by learner day and study
session): it grows by one for each card the learner misses (answers Again), and the page then says so."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, current_app, flash, request, session, url_for
from flask_login import current_user, login_required

from learnapp.decks.service import enrolled_decks
from learnapp.errors import UserError
from learnapp.htmx import is_htmx, render, see_other
from learnapp.models import utcnow
from learnapp.numbers import small_int
from learnapp.stats import service as stats
from learnapp.study import answers, cards, service
from learnapp.study.sessions import MAX_AHEAD_DAYS, StudySession

bp = Blueprint("study", __name__, url_prefix="/study")
MORE_NEW = 10  # new cards a "more" session adds beyond the daily goal
PLAN_KEY = "study_plan"  # [learner day, session token, planned total, newest log id] in the signed session


def _int_arg(source, name: str, digits: int = 9) -> int | None:
    return small_int(source.get(name), digits)


def _fuzz() -> bool:
    return current_app.config["FSRS_ENABLE_FUZZ"]


def _session(source) -> StudySession:
    return StudySession.parse(source.get("session"))


def _queue_url(study: StudySession, **args) -> str:
    if study.token:
        args["session"] = study.token
    return url_for("study.today", **args)


def planned_total(target: int, done: int, left: int) -> int:
    """The bar's total: the plan (`target`, the session's cards at its start plus one for each card missed
    since) while answers are short of it and cards are left; once the answers reach it with cards still
    left (learning steps after Hard or Good need more showings than the plan counted), or when nothing is
    left, the answers so far plus what is left. So it never falls below what is done, never leaves the bar
    past full or short of it at the end, and a learning step moves it only once the plan is used up."""
    return target if left and done < target else done + left


def _stored_plan(token: str) -> tuple[str, int, int] | None:
    """(learner day, planned, the newest answer's log id when the plan began) from the signed session, if it
    is this study session's."""
    kept = session.get(PLAN_KEY)
    if not (isinstance(kept, list) and len(kept) == 4 and kept[1] == token):
        return None
    day, _token, planned, since = kept
    return (day, planned, since) if isinstance(planned, int) and isinstance(since, int) else None


def _kept_plan(day: str, token: str) -> tuple[int, int] | None:
    """(planned, the newest answer's log id when the plan began), if the stored plan is this learner day's
    and this study session's."""
    stored = _stored_plan(token)
    return stored[1:] if stored is not None and stored[0] == day else None


@dataclass(frozen=True)
class Progress:
    """The session's progress bar: answers so far of the planned total, and how many answers since the plan
    began were Again (each brings its card back once more, and grows the total by one)."""

    done: int
    planned: int
    missed: int

    @classmethod
    def of(cls, view: service.StudyView) -> Progress:
        """The plan is the session's cards at its start (`session_total`: the answers so far and the cards
        left, each once, however many learning steps a new card will need), kept in the session cookie
        with the newest answer then; it grows by one for each Again answered since (an undone one no
        longer counts), never for a learning step after Hard or Good (see `planned_total`). A plan is the
        learner day's and the study session's: another session (a deck's, "10 more new cards") starts a
        plan of its own. Sessions outside the queue (failed cards, study ahead) show what is left."""
        if view.session.outside_queue:
            return cls(view.done_today, view.session_total, 0)
        day, token = view.day.local_date, view.session.token
        kept = _kept_plan(day, token)
        if kept is None:
            kept = (view.session_total, view.undo_log_id or 0)
            session[PLAN_KEY] = [day, token, *kept]
        planned, since = kept
        if view.missed is not None and view.missed[0] == since:
            missed = view.missed[1]  # read by the service with the view (`planned_since`)
        else:
            missed = service.missed_since(current_user, view.day, since) if view.done_today else 0
        return cls(view.done_today, planned_total(planned + missed, view.done_today, view.remaining), missed)


def planned_since(study: StudySession) -> int | None:
    """The log id the kept plan of this study session counts missed cards from, if there is one (its day
    is checked once the view knows the learner's day): the service counts them with the queue's counts."""
    stored = _stored_plan(study.token)
    return stored[2] if stored is not None else None


def _show(view, side: str = "front", status: int = 200, message: str | None = None, feedback=None):
    ending = None
    if view.card is None and not view.session.outside_queue and view.done_today:
        now = utcnow()
        ending = {"glance": stats.glance(current_user, now), "outlook": service.outlook(current_user, now)}
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
        progress=Progress.of(view),
        ending=ending,
        more_new=MORE_NEW,
    )


@bp.get("")
@login_required
def today():
    """Today's queue (or a custom session): the next card, front, or back with ?side=back."""
    study = _session(request.args)
    view = service.today(
        current_user,
        utcnow(),
        card_id=_int_arg(request.args, "card"),
        enable_fuzz=_fuzz(),
        session=study,
        missed_after=planned_since(study),
    )
    side = "back" if request.args.get("side") == "back" and view.card is not None else "front"
    return _show(view, side)


@bp.post("/check")
@login_required
def check():
    """Check a typed-pinyin or tone-drill answer: the back of the card with feedback and a proposed grade.
    Nothing is written; the grade counts only when the learner presses one."""
    study = _session(request.form)
    card_id = _int_arg(request.form, "card_id")
    view = service.today(
        current_user,
        utcnow(),
        card_id=card_id,
        enable_fuzz=_fuzz(),
        session=study,
        missed_after=planned_since(study),
    )
    if view.card is None or view.card.id != card_id:
        return _show(view, message="That card isn't due any more. Here is your next one.")
    feedback = answers.feedback(view.card.kind, view.entry, request.form)
    return _show(view, side="back", feedback=feedback)


@bp.post("/answer")
@login_required
def answer():
    """Grade the shown card; htmx gets the next card, a plain form a 303 back to the queue."""
    study = _session(request.form)
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
        session=study,
        missed_after=planned_since(study) if is_htmx() else None,
    )
    if not is_htmx():
        if view.notice:
            flash(view.notice, "info")
        return see_other(_queue_url(study))
    return _show(view)


@bp.post("/undo")
@login_required
def undo():
    """Take back the latest answer and show that card again."""
    study = _session(request.form)
    log_id = _int_arg(request.form, "log_id")
    if log_id is None:
        raise UserError("There's nothing to undo.")
    view = service.undo(current_user, log_id, utcnow(), enable_fuzz=_fuzz(), session=study)
    if not is_htmx():
        return see_other(_queue_url(study, card=view.card.id) if view.card else _queue_url(study))
    return _show(view)


@bp.get("/custom")
@login_required
def custom():
    """Choose a custom session: one deck, today's failed cards, or study ahead."""
    return render("study/custom.html", decks=enrolled_decks(current_user), max_days=MAX_AHEAD_DAYS)


@bp.post("/cards/<int:card_id>/suspend")
@login_required
def suspend(card_id: int):
    """Suspend the card: out of every queue until unsuspended; its progress is kept. The form is read
    first: a session it cannot name is refused before anything changes."""
    study = _session(request.form)
    cards.set_suspended(current_user, card_id, True)
    if request.form.get("from") == "list":
        return see_other(url_for("study.leeches", show=request.form.get("show", "suspended")))
    if is_htmx():
        view = service.today(current_user, utcnow(), enable_fuzz=_fuzz(), session=study)
        return _show(view, message="Card suspended. Find it under Leeches & suspended to bring it back.")
    flash("Card suspended. Find it under Leeches & suspended to bring it back.", "info")
    return see_other(_queue_url(study))


@bp.post("/cards/<int:card_id>/unsuspend")
@login_required
def unsuspend(card_id: int):
    state = cards.set_suspended(current_user, card_id, False)
    flash("Card back in your queue." if not state.leech else "Card back in your queue (still tagged leech).")
    return see_other(url_for("study.leeches", show=request.form.get("show", "leeches")))


@bp.post("/cards/<int:card_id>/reset")
@login_required
def reset(card_id: int):
    cards.reset_card(current_user, card_id, utcnow())
    flash("Card reset: it starts again as a new card.", "info")
    return see_other(url_for("study.leeches", show=request.form.get("show", "leeches")))


@bp.get("/leeches")
@login_required
def leeches():
    """Leeches (cards lapsed LEECH_LAPSES times) or every suspended card, with reset and unsuspend."""
    show = "suspended" if request.args.get("show") == "suspended" else "leeches"
    listed = cards.leeches_and_suspended(current_user, show)
    return render("study/leeches.html", cards=listed, show=show, leech_lapses=service.LEECH_LAPSES)

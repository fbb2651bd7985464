"""The deck catalogue, a deck's page, enroll and leave."""

from __future__ import annotations

from flask import Blueprint, flash, request, url_for
from flask_login import current_user, login_required

from learnapp.access import visible_deck
from learnapp.decks import service
from learnapp.htmx import render, see_other
from learnapp.models import utcnow

bp = Blueprint("decks", __name__, url_prefix="/decks")


def _user():
    return current_user if current_user.is_authenticated else None


@bp.get("")
def catalogue():
    """Every public deck by category and level, and the learner's path: studying, next, locked."""
    summaries = service.catalogue(_user())
    category = request.args.get("category", "")
    level = request.args.get("level", "")
    shown = [
        s
        for s in summaries
        if (not category or s.deck.category == category) and (not level or str(s.deck.level) == level)
    ]
    path = service.learning_path(summaries) if _user() else []
    return render(
        "decks/catalogue.html",
        summaries=shown,
        path=path,
        locks={step.summary.deck.slug: step.waiting_for for step in path if step.status == "locked"},
        categories=sorted({s.deck.category for s in summaries}),
        levels=sorted({s.deck.level for s in summaries}),
        category=category,
        level=level,
    )


@bp.get("/<slug>")
def show(slug: str):
    """One deck: what it teaches and its entries."""
    user = _user()
    deck = visible_deck(user, slug)
    enrolled = service.is_enrolled(user, deck) if user else False
    lock = service.locks(user).get(deck.slug, ()) if user and not enrolled else ()
    return render(
        "decks/show.html", deck=deck, entries=service.deck_entries(deck), enrolled=enrolled, lock=lock
    )


@bp.post("/<slug>/enroll")
@login_required
def enroll(slug: str):
    """Start studying this deck. A locked one (its prerequisites not yet seen) asks to confirm first."""
    deck = visible_deck(current_user, slug)
    lock = service.locks(current_user).get(deck.slug, ())
    if lock and request.form.get("confirm") != "yes" and not service.is_enrolled(current_user, deck):
        return render("decks/confirm_locked.html", deck=deck, lock=lock)
    deck = service.enroll(current_user, slug, utcnow())
    flash(f"You're studying “{deck.title}”. Its new cards are in today's queue.", "success")
    return see_other(url_for("decks.show", slug=deck.slug))


@bp.post("/<slug>/leave")
@login_required
def leave(slug: str):
    """Stop studying this deck (progress is kept if you come back)."""
    deck = service.leave(current_user, slug)
    flash(f"You've left “{deck.title}”. Your progress is kept if you come back.", "success")
    return see_other(url_for("decks.show", slug=deck.slug))

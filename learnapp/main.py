"""The home page: a welcome for visitors, today's numbers for learners."""

from __future__ import annotations

from flask import Blueprint, current_app, send_from_directory
from flask_login import current_user

from learnapp.decks import service as decks
from learnapp.htmx import render
from learnapp.models import utcnow
from learnapp.stats import service as stats
from learnapp.study import service as study

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    """Dashboard when logged in, landing page otherwise."""
    if not current_user.is_authenticated:
        return render("main/landing.html")
    now = utcnow()
    view = study.today(current_user, now, enable_fuzz=current_app.config["FSRS_ENABLE_FUZZ"])
    studying = [summary for summary in decks.catalogue(current_user) if summary.enrolled]
    return render("main/dashboard.html", view=view, studying=studying, glance=stats.glance(current_user, now))


@bp.get("/healthz")
def health():
    """A trivial endpoint (load balancers; the benchmark's baseline)."""
    return {"ok": True}


@bp.get("/favicon.ico")
def favicon():
    return send_from_directory(current_app.static_folder, "icon.svg", mimetype="image/svg+xml")

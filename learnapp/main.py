"""The home page: a welcome for visitors, today's numbers for learners."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Response, abort, current_app, send_from_directory
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


@bp.get("/.well-known/security.txt")
def security_txt():
    """RFC 9116: where to report a vulnerability in this instance (SECURITY_CONTACT); a 404 when unset."""
    contacts = [
        item if item.startswith(("mailto:", "https://")) else f"mailto:{item}"
        for item in (part.strip() for part in current_app.config["SECURITY_CONTACT"].split(","))
        if item.startswith("https://") or "@" in item
    ]
    if not contacts:
        abort(404)
    expires = (utcnow() + timedelta(days=365)).strftime("%Y-%m-%dT00:00:00Z")
    lines = [f"Contact: {contact}" for contact in contacts]
    lines += [f"Expires: {expires}", "Preferred-Languages: en, zh"]
    response = Response("\n".join(lines) + "\n", mimetype="text/plain")
    response.cache_control.max_age = 86400
    return response

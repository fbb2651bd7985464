"""The wiki pages: browse and search (results as you type with htmx), and one page per entry."""

from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user

from learnapp.decks.service import is_enrolled
from learnapp.htmx import is_htmx, render
from learnapp.wiki import service

bp = Blueprint("wiki", __name__, url_prefix="/wiki")


@bp.get("")
def index():
    """Browse by category, level and tag, and search by hanzi, pinyin or English."""
    query = service.make_query(request.args)
    results = service.search(query) if not query.empty else None
    if is_htmx():
        return render("wiki/index.html", "wiki/_results.html", results=results, query=query)
    return render("wiki/index.html", results=results, query=query, facets=service.facets())


@bp.get("/<slug>/<key>")
def entry(slug: str, key: str):
    """One entry: every field, how it sounds, and the decks it is in."""
    hit = service.get_entry(slug, key)
    enrolled = is_enrolled(current_user, hit.deck) if current_user.is_authenticated else False
    return render("wiki/entry.html", hit=hit, others=service.same_headword(hit), enrolled=enrolled)

"""Studying offline over HTTP: the service worker (/sw.js), the pack a device keeps (/study/pack.json), the
page it studies from when the network is gone (/study/offline), and the sync of its answers (/study/sync).

The JSON endpoints answer a logged-out device with 401 and a message (never a login page), and a stale
security token with 400, so the device keeps its answers and says why; neither depends on HX-Request.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError, generate_csrf

from learnapp import assets
from learnapp.models import utcnow
from learnapp.study import offline
from learnapp.study.sessions import QUEUE, StudySession

bp = Blueprint("offline", __name__)
WORKER_VERSION = "1"  # bump when static/../sw.js changes in a way the asset list does not show
SHELL_PATH = "/study/offline"
# What the worker keeps of static/: what a page needs to show and work; not source maps or licences, and
# not the home-screen icons and web manifest (65 KB of PNGs no page shows: the browser fetches them itself
# when the app is installed, which needs the network anyway).
PRECACHED_SUFFIXES = (".css", ".js", ".svg", ".ico", ".webp", ".woff2")
NOT_PRECACHED = ("vendor/axe-core/",)
LOGGED_OUT = "You're logged out. Log in again and your answers waiting on this device will be sent."


def _ms(moment: datetime | None) -> int | None:
    return int(moment.timestamp() * 1000) if moment else None


def _json(payload: Any, status: int = 200) -> Response:
    response = jsonify(payload)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def _logged_out() -> Response:
    return _json({"error": "logged_out", "message": LOGGED_OUT}, 401)


@bp.errorhandler(CSRFError)
def _csrf_error(error: CSRFError) -> Response:
    if not current_user.is_authenticated:
        return _logged_out()
    return _json(
        {
            "error": "csrf",
            "message": "This page's security token is old. Reload the page to send your answers.",
        },
        400,
    )


def precache_urls() -> list[str]:
    """The hashed static URLs the worker keeps (the app shell's CSS, JavaScript and SVG icon); not the
    accessibility checker the browser tests inject (axe-core, about 170 KB no learner needs)."""
    return [
        url
        for name, url in assets.manifest().items()
        if name.endswith(PRECACHED_SUFFIXES) and not name.startswith(NOT_PRECACHED)
    ]


@bp.get("/sw.js")
def worker() -> Response:
    """The service worker, from the root so that it may control every page; always revalidated, so a new
    deployment (a new asset list, hence a new cache name) reaches devices at their next visit."""
    urls = precache_urls()
    version = hashlib.sha256(json.dumps([WORKER_VERSION, urls]).encode()).hexdigest()[:12]
    body = render_template("study/sw.js", precache=urls, version=version, shell=SHELL_PATH)
    response = Response(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


def _queue_url(study: StudySession, **args: Any) -> str:
    if study.token:
        args["session"] = study.token
    return url_for("study.today", **args)


def _card_html(card: offline.PackCard) -> str:
    return render_template(
        "study/_card.html",
        view=card.view,
        side="front",
        oob=False,
        offline=True,
        message=None,
        feedback=None,
        queue_url=_queue_url,
        progress=None,
        ending=None,
    )


def pack_json(user: Any, now: datetime) -> dict[str, Any]:
    """The pack as the device stores it: times in milliseconds since the epoch, each card's HTML."""
    fuzz = current_app.config["FSRS_ENABLE_FUZZ"]
    pack = offline.pack(user, now, enable_fuzz=fuzz)
    return {
        "user_id": user.id,
        "generated_at": _ms(pack.generated_at),
        "csrf_token": generate_csrf(),
        "day": {"start": _ms(pack.day.start), "end": _ms(pack.day.end), "local_date": pack.day.local_date},
        "day_ends": [_ms(end) for end in pack.day_ends],
        "done_today": pack.done_today,
        "limits": {
            "new_left": pack.new_left,
            "reviews_left": pack.reviews_left,
            "new_per_day": pack.new_per_day,
            "reviews_per_day": pack.reviews_per_day,
        },
        "full": pack.full,  # more cards wait beyond this pack
        "bury_siblings": pack.bury_siblings,
        "buried_states": list(offline.BURIED_STATE_NAMES),
        "learn_ahead_ms": offline.LEARN_AHEAD_MS,
        "max_age_ms": int(offline.MAX_AGE.total_seconds() * 1000),
        "cards": [
            {
                "card_id": card.view.card.id if card.view.card else None,
                "version": card.view.version,
                "entry_id": card.entry_id,
                "state": card.view.card_state,
                "bucket": card.bucket,
                "due": _ms(card.due),
                "headword": card.view.entry.headword if card.view.entry else "",
                "buttons": [
                    {"rating": o.rating, "interval": o.interval, "state": o.state, "due": _ms(o.due)}
                    for o in card.outcomes
                ],
                "html": _card_html(card),
            }
            for card in pack.cards
        ],
    }


@bp.get("/study/pack.json")
def pack() -> Response:
    """The learner's next cards for this device (JSON, never stored by HTTP caches)."""
    if not current_user.is_authenticated:
        return _logged_out()
    return _json(pack_json(current_user, utcnow()))


@bp.get(SHELL_PATH)
def shell() -> Any:
    """The study page without a card: the service worker keeps it and shows it for /study when offline;
    static/offline.js fills it from the pack. A logged-out visit goes to the login page, without the usual
    "Log in to continue." message: the service worker asks for this page while the visitor signs up or
    logs in, and a message would write the logged-out session's cookie over the new login's."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=SHELL_PATH))
    return render_template("study/offline.html", session=QUEUE)


@bp.post("/study/sync")
def sync() -> Response:
    """Apply the answers a device kept while offline, in the order given; what became of each."""
    if not current_user.is_authenticated:
        return _logged_out()
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("answers"), list):
        return _json({"error": "invalid", "message": "The answers could not be read."}, 400)
    if body.get("user_id") is not None and body.get("user_id") != current_user.id:
        return _json(
            {
                "error": "other_account",
                "message": "These answers were given in another account on this device. "
                "Log in to that account to send them.",
            },
            409,
        )
    items = body["answers"]
    if len(items) > offline.MAX_BATCH:
        return _json(
            {"error": "too_many", "message": f"At most {offline.MAX_BATCH} answers can be sent at once."}, 413
        )
    parsed = [offline.parse_answer(item) for item in items]
    now = utcnow()
    refused = [item for item in parsed if isinstance(item, offline.Replayed)]
    answers = [item for item in parsed if isinstance(item, offline.OfflineAnswer)]
    results = refused + offline.replay(
        current_user, answers, now, enable_fuzz=current_app.config["FSRS_ENABLE_FUZZ"]
    )
    return _json(
        {
            "results": [
                {
                    "id": item.id,
                    "card_id": item.card_id,
                    "result": str(item.result),
                    "message": item.message,
                    "log_id": item.log_id,
                }
                for item in results
            ],
            "summary": offline.summary(results),
            "pack": pack_json(current_user, utcnow()),
        }
    )

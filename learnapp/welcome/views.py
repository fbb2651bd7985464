"""The welcome flow (/welcome): a Chinese nickname, then what to learn and how much."""

from __future__ import annotations

from flask import (
    Blueprint,
    flash,
    request,
    url_for,
)
from flask_login import current_user, login_required

from learnapp.classes import service as classes
from learnapp.errors import UserError
from learnapp.htmx import render, see_other
from learnapp.models import utcnow
from learnapp.nickname import FEELS, VIBES
from learnapp.numbers import small_int
from learnapp.welcome import service
from learnapp.welcome.service import GOALS, TOPICS, NameRequest

bp = Blueprint("welcome", __name__)

STEP_ENDPOINTS = {"nickname": "welcome.nickname", "goals": "welcome.goals"}


@bp.get("/welcome")
@login_required
def welcome():
    """Pick up the welcome where it was left (or the dashboard once it is done)."""
    endpoint = STEP_ENDPOINTS.get(current_user.onboarding_step)
    return see_other(url_for(endpoint) if endpoint else url_for("main.home"))


def _request_from(source) -> NameRequest:
    return NameRequest.parse(source.get("name"), source.get("feel"), source.get("vibe"), source.get("more"))


@bp.get("/welcome/nickname")
@login_required
def nickname():
    """Step 1: the learner's name, a feel and a vibe; suggestions come as a fragment (htmx) or the page."""
    changing = current_user.onboarding_step == "done"
    context = {
        "feels": FEELS,
        "vibes": VIBES,
        "changing": changing,
        "current": service.current_nickname(current_user),
    }
    if "name" not in request.args:
        return render("welcome/nickname.html", request_=None, result=None, error=None, **context)
    error = None
    result = None
    try:
        name_request = _request_from(request.args)
        result = service.suggestions(name_request)
    except UserError as problem:
        name_request = NameRequest(request.args.get("name", "")[:200], "neutral", None, 0)
        error = problem
    status = 422 if error else 200
    return render(
        "welcome/nickname.html",
        "welcome/_name_step.html",
        status=status,
        request_=name_request,
        result=result,
        error=error,
        **context,
    )


@bp.post("/welcome/nickname")
@login_required
def pick():
    """Take one of the suggestions shown (regenerated here from the same inputs, never from the form)."""
    index = small_int(request.form.get("pick"), digits=2)
    if index is None:
        raise UserError("Pick one of the suggested names.", field="pick")
    keep = request.form.get("old_pages", "keep") != "retire"
    nickname = service.pick(current_user, _request_from(request.form), index, utcnow(), keep_old_pages=keep)
    flash(f"You are {nickname.hanzi} ({nickname.pinyin}) here now. 欢迎!", "success")
    if current_user.onboarding_step == "goals":
        return see_other(url_for("welcome.goals"))
    return see_other(url_for("settings.nicknames"))


@bp.post("/welcome/skip")
@login_required
def skip():
    """Skip the nickname (to the goals), or the whole welcome."""
    step = request.form.get("to", "done")
    service.skip_to(current_user, step)
    return see_other(url_for("welcome.welcome"))


@bp.route("/welcome/goals", methods=["GET", "POST"])
@login_required
def goals():
    """Step 2: what to learn and a daily goal; enrolls in the starter decks and starts the first session."""
    errors: dict[str, str] = {}
    my_classes = classes.learner_classes(current_user)
    # A learner who joined a class at sign-up already has its decks: the topics start unticked for them.
    default = [] if my_classes else list(TOPICS)
    chosen = request.form.getlist("topics") if request.method == "POST" else default
    goal = request.form.get("goal", "steady") if request.method == "POST" else "steady"
    if request.method == "POST":
        try:
            decks = service.set_goals(current_user, chosen, goal, utcnow())
        except UserError as error:
            errors[error.field or "topics"] = error.message
        else:
            flash(_first_session_message(decks, my_classes), "success")
            return see_other(url_for("study.today"))
    return render(
        "welcome/goals.html",
        status=422 if errors else 200,
        topics=TOPICS,
        goals=GOALS,
        chosen=chosen,
        goal=goal,
        errors=errors,
        nickname=service.current_nickname(current_user),
        my_classes=my_classes,
    )


def _first_session_message(decks: list, my_classes: list) -> str:
    if my_classes:
        names = ", ".join(row.classroom.name for row in my_classes)
        also = f" and {len(decks)} more deck{'s' if len(decks) != 1 else ''}" if decks else ""
        return f"You're in {names}: its decks{also} are in your queue. Here is your first card!"
    return f"You're studying {len(decks)} deck{'s' if len(decks) != 1 else ''}. Here is your first card!"

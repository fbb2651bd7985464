"""Every state-changing route of the app's URL map, with a row saying how it is protected against
cross-site request forgery (issue 14).

A route without a row fails `test_every_state_changing_route_has_a_csrf_row`: add one. A row names who
sends the request (the protection must hold for a logged-in user, not only for a visitor), or exempts the
route with its reason and a test of the protection it has instead. Each protected route is then posted
with no token and with a foreign token (one from another user's session): both are refused with 400 and
no row of any table changes.

Authorization per role is tabled in tests/http/test_teach_access.py for the teaching routes (the same
world, `tests/http/test_teach_support.py`); the other routes are not tabled there yet.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from learnapp.extensions import db, limiter
from learnapp.jobs.runner import ThreadRunner, runner_of
from learnapp.jobs.service import MAX_ATTEMPTS
from learnapp.mail import outbox
from learnapp.mail.tokens import password_digest, sign
from learnapp.models import CardState, Job, Nickname, User, UserSession, utcnow
from learnapp.reader import service as reader
from tests.factories import T0
from tests.http.test_teach_support import World, build_world, client_for, token

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


class Exempt(str):
    """A route without a CSRF token: the string is why, and a test below checks its own protection."""


# (method, rule) -> who sends it: "anonymous", "learner", "teacher" (the world's owner) or "admin".
CSRF = {
    ("POST", "/account/delete"): "learner",
    ("POST", "/account/password"): "learner",
    ("POST", "/account/sessions/others"): "learner",
    ("POST", "/account/sessions/<int:session_id>/end"): "learner",
    ("POST", "/admin/users/<int:user_id>/invite"): "admin",
    ("POST", "/admin/users/<int:user_id>/role"): "admin",
    ("POST", "/classes/<int:class_id>/leave"): "learner",
    ("POST", "/decks/<slug>/enroll"): "learner",
    ("POST", "/decks/<slug>/leave"): "learner",
    ("POST", "/invite"): "learner",
    ("POST", "/jobs/<int:job_id>/retry"): "learner",
    ("POST", "/join"): "learner",
    ("POST", "/join/<code>"): "learner",
    ("POST", "/join/not-now"): "anonymous",
    ("POST", "/login"): "anonymous",
    ("POST", "/logout"): "learner",
    ("POST", "/password/forgot"): "anonymous",
    ("POST", "/password/reset/<token>"): "anonymous",
    ("POST", "/read"): "learner",
    ("POST", "/read/<int:text_id>/delete"): "learner",
    ("POST", "/read/<int:text_id>/publish"): "teacher",
    ("POST", "/read/<int:text_id>/words"): "learner",
    ("POST", "/read/words/<int:entry_id>/remove"): "learner",
    ("POST", "/settings"): "learner",
    ("POST", "/settings/email"): "learner",
    ("POST", "/settings/nicknames/<int:nickname_id>/visibility"): "learner",
    ("POST", "/signup"): "anonymous",
    ("POST", "/stats/optimise"): "learner",
    ("POST", "/stats/optimise/apply"): "learner",
    ("POST", "/stats/optimise/reset"): "learner",
    ("POST", "/study/answer"): "learner",
    ("POST", "/study/cards/<int:card_id>/reset"): "learner",
    ("POST", "/study/cards/<int:card_id>/suspend"): "learner",
    ("POST", "/study/cards/<int:card_id>/unsuspend"): "learner",
    ("POST", "/study/check"): "learner",
    # The offline queue's answers: the token comes in the X-CSRFToken header (from the pack), refused
    # as JSON (400, or 401 for a visitor) by the blueprint's own CSRF handler.
    ("POST", "/study/sync"): "learner",
    ("POST", "/study/undo"): "learner",
    ("POST", "/teach/classes/<int:class_id>/code"): "teacher",
    ("POST", "/teach/classes/<int:class_id>/decks"): "teacher",
    ("POST", "/teach/classes/<int:class_id>/decks/<slug>/unassign"): "teacher",
    ("POST", "/teach/classes/<int:class_id>/members/<int:user_id>/remove"): "teacher",
    ("POST", "/teach/classes/new"): "teacher",
    ("POST", "/teach/decks/<slug>/entries"): "teacher",
    ("POST", "/teach/decks/<slug>/entries/<key>"): "teacher",
    ("POST", "/teach/decks/<slug>/entries/<key>/delete"): "teacher",
    ("POST", "/teach/decks/<slug>/entries/<key>/move"): "teacher",
    ("POST", "/teach/decks/<slug>/import"): "teacher",
    ("POST", "/teach/decks/<slug>/import/<token>"): "teacher",
    ("POST", "/teach/decks/<slug>/import/<token>/cancel"): "teacher",
    ("POST", "/teach/decks/<slug>/settings"): "teacher",
    ("POST", "/teach/decks/new"): "teacher",
    ("POST", "/teach/invites"): "teacher",
    ("POST", "/unsubscribe/<token>"): Exempt(
        "one-click List-Unsubscribe-Post (RFC 8058) from a mail client, which has no session: the signed "
        "link is the authority, and it only turns reminders off"
    ),
    ("POST", "/verify/resend"): "learner",
    ("POST", "/welcome/goals"): "learner",
    ("POST", "/welcome/nickname"): "learner",
    ("POST", "/welcome/skip"): "learner",
}


def state_changing_routes(app) -> list[tuple[str, str]]:
    return sorted(
        (method, rule.rule) for rule in app.url_map.iter_rules() for method in rule.methods & STATE_CHANGING
    )


def test_every_state_changing_route_has_a_csrf_row(app):
    missing = [
        f"{method} {rule}" for method, rule in state_changing_routes(app) if (method, rule) not in CSRF
    ]
    assert not missing, (
        "These routes change state but have no row in CSRF (tests/http/test_route_table.py): add one naming "
        "who sends them, or an Exempt(reason) with a test of their own protection: " + ", ".join(missing)
    )
    gone = [f"{method} {rule}" for method, rule in CSRF if (method, rule) not in state_changing_routes(app)]
    assert not gone, "Rows for routes the app no longer has: " + ", ".join(gone)


def snapshot() -> dict[str, list[str]]:
    """Every row of every table, as text: a refused request must leave all of it as it was."""
    db.session.expire_all()
    with db.engine.connect() as connection:
        return {
            table.name: sorted(repr(tuple(row)) for row in connection.execute(select(table)))
            for table in db.metadata.sorted_tables
        }


def fill(rule: str, world: World) -> str:
    """The rule with real objects of the world in its path (the CSRF check comes first anyway)."""
    values = {
        "slug": world.public_slug,
        "key": world.public_key,
        "token": world.import_token,
        "class_id": world.class_id,
        "user_id": world.member.id,
        "code": world.join_code,
    }
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values.get(m.group(1), 1)), rule)


def actor(world: World, who: str) -> User | None:
    return {"anonymous": None, "learner": world.learner, "teacher": world.owner, "admin": world.admin}[who]


PROTECTED = [
    pytest.param(method, rule, who, id=f"{method} {rule}")
    for (method, rule), who in sorted(CSRF.items())
    if not isinstance(who, Exempt)
]


@pytest.mark.parametrize(("method", "rule", "who"), PROTECTED)
def test_a_missing_or_foreign_token_is_refused_and_changes_nothing(app, method, rule, who):
    world = build_world()
    user = actor(world, who)
    client = client_for(app, user)
    stranger = client_for(app, world.other if user is not world.other else world.learner)
    foreign = token(stranger)  # a valid token, of another user's session
    url = fill(rule, world)
    before = snapshot()
    for form in ({}, {"csrf_token": foreign}):
        response = client.open(url, method=method, data=form)
        assert response.status_code == 400, (
            f"{method} {url} with {form or 'no token'}: {response.status_code}"
        )
        assert snapshot() == before, f"{method} {url} refused but changed the database"
    # A header token of another session is refused too (htmx and the offline queue send it there).
    response = client.open(url, method=method, headers={"X-CSRFToken": foreign})
    assert response.status_code == 400
    assert snapshot() == before
    # The route's own token is accepted by the CSRF check (whatever the view then says).
    own = token(client, logged_in=user is not None)
    response = client.open(url, method=method, data={"csrf_token": own})
    assert response.status_code != 400 or "expired" not in response.get_data(as_text=True)


def test_the_one_click_unsubscribe_needs_a_signed_link(app):
    """Exempt from CSRF: a forged or cut link is refused (400) and changes nothing."""
    world = build_world()
    world.learner.reminder_enabled = True
    db.session.commit()
    before = snapshot()
    client = app.test_client()
    for bad in ("forged", "eyJ1Ijo" + str(world.learner.id) + "fQ.cut", f"{world.learner.id}"):
        response = client.post(f"/unsubscribe/{bad}")
        assert response.status_code == 400
        assert snapshot() == before


# ---- authorization -------------------------------------------------------------------------------------

ROLES = ("anonymous", "learner", "other_learner", "teacher", "other_teacher", "admin")
LOGIN = "login"  # a redirect to the login page

# (method, path) -> outcomes for ROLES. Pages without an object in their path; the teaching routes are in
# tests/http/test_teach_access.py (ROUTES), which this file's coverage test counts as rows.
AUTH = {
    ("GET", "/"): (200, 200, 200, 200, 200, 200),
    ("GET", "/healthz"): (200, 200, 200, 200, 200, 200),
    ("GET", "/decks"): (200, 200, 200, 200, 200, 200),
    ("GET", "/wiki"): (200, 200, 200, 200, 200, 200),
    ("GET", "/login"): (200, 303, 303, 303, 303, 303),  # logged in: home
    ("GET", "/signup"): (200, 303, 303, 303, 303, 303),
    ("GET", "/password/forgot"): (200, 200, 200, 200, 200, 200),
    ("GET", "/stats"): (LOGIN, 200, 200, 200, 200, 200),
    ("GET", "/stats/optimise"): (LOGIN, 200, 200, 200, 200, 200),
    ("GET", "/settings"): (LOGIN, 200, 200, 200, 200, 200),
    ("GET", "/settings/email"): (LOGIN, 200, 200, 200, 200, 200),
    ("GET", "/settings/nicknames"): (LOGIN, 200, 200, 200, 200, 200),
    ("GET", "/study"): (LOGIN, 200, 200, 200, 200, 200),
    ("GET", "/study/custom"): (LOGIN, 200, 200, 200, 200, 200),
    ("GET", "/study/leeches"): (LOGIN, 200, 200, 200, 200, 200),
    ("GET", "/account/data"): (LOGIN, 200, 200, 200, 200, 200),
    ("GET", "/account/data/export.json"): (LOGIN, 200, 200, 200, 200, 200),
    ("GET", "/account/data/reviews.csv"): (LOGIN, 200, 200, 200, 200, 200),
    ("GET", "/account/password"): (LOGIN, 200, 200, 200, 200, 200),
    ("GET", "/account/delete"): (LOGIN, 200, 200, 200, 200, 200),
    ("GET", "/account/sessions"): (LOGIN, 200, 200, 200, 200, 200),
    ("POST", "/account/sessions/others"): (LOGIN, 303, 303, 303, 303, 303),  # one's own devices only
    # Another device of the learner: only the learner ends it (the others get "no longer logged in").
    ("POST", "/account/sessions/{device}/end"): (LOGIN, 303, 303, 303, 303, 303),
    ("GET", "/read"): (LOGIN, 200, 200, 200, 200, 200),
    ("GET", "/read/texts"): (LOGIN, 200, 200, 200, 200, 200),
    ("GET", "/read/words"): (LOGIN, 200, 200, 200, 200, 200),
    ("GET", "/admin/outbox"): (LOGIN, 403, 403, 403, 403, 200),
    # A card of the class's deck: "other_learner" (the class member) studies it, nobody else does.
    ("POST", "/study/cards/{card}/suspend"): (LOGIN, 404, 303, 404, 404, 404),
    ("POST", "/study/cards/{card}/unsuspend"): (LOGIN, 404, 303, 404, 404, 404),
    ("POST", "/study/cards/{card}/reset"): (LOGIN, 404, 303, 404, 404, 404),
    # A text the learner saved in the reader: theirs alone.
    ("GET", "/read/{text}"): (LOGIN, 200, 404, 404, 404, 404),
    ("GET", "/read/{text}/word?at=0&n=2"): (LOGIN, 200, 404, 404, 404, 404),
    ("POST", "/read/{text}/delete"): (LOGIN, 303, 404, 404, 404, 404),
    # Only a member may leave the class.
    ("POST", "/classes/{cls}/leave"): (LOGIN, 404, 303, 404, 404, 404),
    ("POST", "/read/{text}/words"): (LOGIN, 303, 404, 404, 404, 404),
    # A text the teacher saved: only they publish it to their class (the member reads it, no more).
    ("POST", "/read/{teacher_text}/publish"): (LOGIN, 404, 404, 303, 404, 404),
    # A word in the learner's My words.
    ("POST", "/read/words/{word}/remove"): (LOGIN, 303, 404, 404, 404, 404),
    # The learner's job (it failed for good: even its owner's retry is refused, without revealing more).
    ("GET", "/jobs/{job}"): (LOGIN, 200, 404, 404, 404, 404),
    ("POST", "/jobs/{job}/retry"): (LOGIN, 409, 404, 404, 404, 404),
    # The learner's nickname: only its owner makes it private.
    ("POST", "/settings/nicknames/{nickname}/visibility"): (LOGIN, 303, 404, 404, 404, 404),
    # Its public share page, for anyone with the link.
    ("GET", "/n/{share}"): (200, 200, 200, 200, 200, 200),
    ("GET", "/n/{share}.svg"): (200, 200, 200, 200, 200, 200),
    ("GET", "/n/{share}.png"): (200, 200, 200, 200, 200, 200),
    # An older nickname its owner made private: not found, by its owner either.
    ("GET", "/n/{private_share}"): (404, 404, 404, 404, 404, 404),
    ("GET", "/n/{private_share}.png"): (404, 404, 404, 404, 404, 404),
    # A mail to the learner: the outbox is the admin's (a 403 to anyone else, as for the list).
    ("GET", "/admin/outbox/{mail}"): (LOGIN, 403, 403, 403, 403, 200),
    ("GET", "/admin/outbox/{mail}/html"): (LOGIN, 403, 403, 403, 403, 200),
    # The public deck the class member studies: leaving it is theirs to do.
    ("POST", "/decks/{public}/leave"): (LOGIN, 303, 303, 303, 303, 303),
    # The owner's private deck: its author and admins see it (learnapp/access.py), nobody else learns it exists.
    ("POST", "/decks/{private}/leave"): (LOGIN, 404, 404, 303, 404, 303),
    # An entry of the owner's private deck: not in the wiki, for anyone.
    ("GET", "/wiki/{private}/{private_key}"): (404, 404, 404, 404, 404, 404),
    ("GET", "/wiki/{public}/{public_key}"): (200, 200, 200, 200, 200, 200),
    # Signed links for the learner: the link is the authority.
    ("GET", "/verify/{verify}"): (200, 200, 200, 200, 200, 200),
    ("GET", "/unsubscribe/{unsubscribe}"): (200, 200, 200, 200, 200, 200),
    ("POST", "/unsubscribe/{unsubscribe}"): (200, 200, 200, 200, 200, 200),
    ("GET", "/password/reset/{reset}"): (200, 200, 200, 200, 200, 200),
    ("POST", "/password/reset/{reset}"): (422, 422, 422, 422, 422, 422),
    # Logged-in only, on one's own account.
    ("POST", "/settings"): (LOGIN, 422, 422, 422, 422, 422),
    ("POST", "/settings/email"): (LOGIN, 422, 422, 422, 422, 422),
    ("POST", "/stats/optimise"): (LOGIN, 422, 422, 422, 422, 422),
    ("POST", "/stats/optimise/apply"): (LOGIN, 400, 400, 400, 400, 400),
    ("POST", "/stats/optimise/reset"): (LOGIN, 303, 303, 303, 303, 303),
    ("POST", "/study/answer"): (LOGIN, 400, 400, 400, 400, 400),
    ("POST", "/study/check"): (LOGIN, 200, 200, 200, 200, 200),
    ("POST", "/study/undo"): (LOGIN, 400, 400, 400, 400, 400),
    ("POST", "/study/sync"): (401, 400, 400, 400, 400, 400),
    ("GET", "/study/offline"): (LOGIN, 200, 200, 200, 200, 200),
    ("GET", "/study/pack.json"): (401, 200, 200, 200, 200, 200),
    ("GET", "/welcome"): (LOGIN, 303, 303, 303, 303, 303),
    ("GET", "/welcome/goals"): (LOGIN, 200, 200, 200, 200, 200),
    ("POST", "/welcome/goals"): (LOGIN, 303, 303, 422, 422, 422),
    ("GET", "/welcome/nickname"): (LOGIN, 200, 200, 200, 200, 200),
    ("POST", "/welcome/nickname"): (LOGIN, 400, 400, 400, 400, 400),
    ("POST", "/welcome/skip"): (LOGIN, 303, 303, 303, 303, 303),
    ("POST", "/verify/resend"): (LOGIN, 303, 303, 303, 303, 303),
    ("POST", "/read"): (LOGIN, 422, 422, 422, 422, 422),
    ("GET", "/read/share"): (LOGIN, 200, 200, 200, 200, 200),
    ("POST", "/account/password"): (LOGIN, 422, 422, 422, 422, 422),
    ("POST", "/account/delete"): (LOGIN, 422, 422, 422, 422, 422),
    # Signing in and out, and the public files.
    ("POST", "/login"): (422, 303, 303, 303, 303, 303),
    ("POST", "/logout"): (303, 303, 303, 303, 303, 303),  # a visitor: home
    ("POST", "/signup"): (422, 303, 303, 303, 303, 303),
    ("POST", "/password/forgot"): (422, 422, 422, 422, 422, 422),
    ("GET", "/password/forgot/sent"): (200, 200, 200, 200, 200, 200),
    ("GET", "/favicon.ico"): (200, 200, 200, 200, 200, 200),
    ("GET", "/.well-known/security.txt"): (404, 404, 404, 404, 404, 404),  # no SECURITY_CONTACT in tests
    ("GET", "/sw.js"): (200, 200, 200, 200, 200, 200),
    ("GET", "/static/app.js"): (200, 200, 200, 200, 200, 200),
}
# The form a POST of AUTH sends besides its CSRF token (placeholders as in the paths).
FORMS = {
    ("POST", "/read/{text}/words"): {"at": 0, "n": 2},
    ("POST", "/read/{teacher_text}/publish"): {"class_id": "{cls}"},
}
# Routes whose rows are still to be written, listed so that the coverage test below fails for a route
# nobody has thought about, not for these. Empty: every route has a row.
AUTH_TO_DO: set[tuple[str, str]] = set()


def role_user(world: World, role: str) -> User | None:
    return {
        "anonymous": None,
        "learner": world.learner,
        "other_learner": world.member,
        "teacher": world.owner,
        "other_teacher": world.other,
        "admin": world.admin,
    }[role]


def build_table_world() -> dict[str, object]:
    """The teaching world plus one object of each kind a path can name: the values of the table's
    placeholders, and each role's user id (`user:<role>`). The learner owns the text, the word, the job, the nickname, the mail and the links."""
    world = build_world()
    learner = world.learner
    card = db.session.scalar(
        select(CardState.card_id).where(CardState.user_id == world.member.id).order_by(CardState.card_id)
    )
    text, _ = reader.save_text(learner, reader.TextFields(body="你好，谢谢！", title="Mine"), T0)
    teacher_text, _ = reader.save_text(world.owner, reader.TextFields(body="再见！", title="Theirs"), T0)
    word = reader.add_word(learner, reader.readable(learner, text.id), 0, 2, "", T0).entry
    # A job that failed for good: retrying it is refused (409) even to its owner, so no job ever runs here.
    job = Job(user_id=learner.id, kind="optimise", status="failed", attempts=MAX_ATTEMPTS, created_at=T0)
    nickname = Nickname(
        user_id=learner.id, hanzi="李丽", pinyin="Lǐ Lì", kind="own", share_token="lily-share-token"
    )
    retired = Nickname(
        user_id=learner.id,
        hanzi="李莉",
        pinyin="Lǐ Lì",
        kind="own",
        share_token="lily-private-token",
        public=False,
        current=False,
    )
    device = UserSession(
        user_id=learner.id, token_hash="0" * 64, created_at=T0, last_seen=T0, device="Firefox on Android"
    )
    db.session.add_all([job, nickname, retired, device])
    mail = outbox.queue(
        learner, "verify", "Confirm", "verify", deliver_later=False, now=T0, url="http://x/v", days=7
    )
    db.session.commit()
    now = utcnow()  # the links are checked against the clock
    values: dict[str, object] = {
        "card": card,
        "cls": world.class_id,
        "text": text.id,
        "teacher_text": teacher_text.id,
        "word": word.id,
        "job": job.id,
        "nickname": nickname.id,
        "share": nickname.share_token,
        "private_share": retired.share_token,
        "mail": mail.id,
        "device": device.id,
        "public": world.public_slug,
        "private": world.private_slug,
        "private_key": world.private_key,
        "public_key": world.public_key,
        "verify": sign("verify", {"u": learner.id, "e": learner.email}, now),
        "reset": sign("reset", {"u": learner.id, "p": password_digest(learner.password_hash)}, now),
        "unsubscribe": sign("unsubscribe", {"u": learner.id}, now),
    }
    values |= {f"user:{role}": user.id for role in ROLES if (user := role_user(world, role)) is not None}
    return values


def wipe() -> None:
    """Every row gone (after a request that changed some), so that the next role starts from a new world."""
    db.session.remove()
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())


def drain(app) -> None:
    """Background jobs a request started end before the database is looked at."""
    runner = runner_of(app)
    if isinstance(runner, ThreadRunner):
        runner.drain()


AUTH_CASES = [
    pytest.param(method, path, outcomes, id=f"{method} {path}")
    for (method, path), outcomes in sorted(AUTH.items())
]


@pytest.mark.parametrize(("method", "path", "outcomes"), AUTH_CASES)
def test_route_as_each_role(app, method, path, outcomes):
    """The route as each role in turn, each on a world as built: a request that changed a row is followed
    by a new world for the next role. A refused one (login, 403, 404) must change nothing."""
    values = build_table_world()
    wrong = []
    for role, expected in zip(ROLES, outcomes, strict=True):
        limiter.reset()
        # The world's users, loaded again: the previous request ended the session they came from.
        user = db.session.get(User, values[f"user:{role}"]) if role != "anonymous" else None
        client = client_for(app, user)
        url = path.format(**values)
        form = None
        if method == "POST":
            form = {"csrf_token": token(client, logged_in=user is not None)}
            form |= {
                name: str(value).format(**values) for name, value in FORMS.get((method, path), {}).items()
            }
        before = snapshot()
        response = client.open(url, method=method, data=form)
        drain(app)
        after = snapshot()
        if expected == LOGIN:
            location = response.headers.get("Location", "")
            if response.status_code not in (302, 303) or not location.startswith("/login"):
                wrong.append(f"{role}: {response.status_code} {location}, not a redirect to /login")
        elif response.status_code != expected:
            wrong.append(f"{role}: {response.status_code}, not {expected}")
        if expected in (LOGIN, 403, 404) and after != before:
            changed = sorted(name for name in after if after[name] != before[name])
            wrong.append(f"{role}: refused ({expected}) but changed {changed}")
        if after != before:
            wipe()
            values = build_table_world()
    assert not wrong, f"{method} {path}: " + "; ".join(wrong)


def test_every_route_has_an_authorization_row(app):
    """A route of the URL map with no row here, in test_teach_access.ROUTES or in AUTH_TO_DO fails."""
    from tests.http.test_teach_access import ROUTES

    adapter = app.url_map.bind("localhost")
    walked = set()
    for method, path in [(m, p) for _, m, p, _, _ in ROUTES] + list(AUTH):
        concrete = re.sub(r"\{(\w+)\}", "1", path.split("?")[0])
        endpoint, _ = adapter.match(concrete, method=method)
        walked.add((endpoint, method))
    missing = [
        f"{method} {rule.rule}"
        for rule in app.url_map.iter_rules()
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
        if (rule.endpoint, method) not in walked and (method, rule.rule) not in AUTH_TO_DO
    ]
    assert not missing, (
        "These routes have no authorization row: add one to AUTH in tests/http/test_route_table.py (the "
        "outcome for each of " + ", ".join(ROLES) + "): " + ", ".join(missing)
    )
    done = sorted(
        f"{m} {r}"
        for m, r in AUTH_TO_DO
        if any((e, m) in walked for e in [adapter.match(re.sub(r"<[^>]+>", "1", r), method=m)[0]])
    )
    assert not done, "Rows written: take these out of AUTH_TO_DO: " + ", ".join(done)

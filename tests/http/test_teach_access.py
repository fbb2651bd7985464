"""Authorization: every route of the teaching issue, walked as a visitor, a learner, another teacher, the
owner (the teacher who wrote the decks and runs the class) and an admin.

Visitors are sent to log in. Private decks and other teachers' classes are invisible (404, not 403);
visible things one may not change are 403. A refused request changes nothing in the database.
"""

from __future__ import annotations

import io
import re

import pytest

from learnapp.teach import editor
from learnapp.teach.editor import DeckFields, EntryFields
from tests.factories import T0, make_deck
from tests.http.test_teach_support import World, build_world, client_for, fingerprint, make_account, token

ACTORS = ("anonymous", "learner", "other", "owner", "admin")
LOGIN = "login"  # a redirect to the login page


def deck_form(title="Renamed", visibility="public"):
    return {
        "title": title,
        "category": "slang",
        "level": "2",
        "visibility": visibility,
        "card_kinds": ["recognize"],
    }


def entry_form(prefix="new", headword="再见", meaning="goodbye"):
    return {f"{prefix}-headword": headword, f"{prefix}-meaning": meaning}


def upload():
    return {"file": (io.BytesIO("headword,meaning\n加油,come on\n".encode()), "more.csv")}


# (name, method, path template, form data (or a callable of the world), outcomes for ACTORS)
ROUTES = [
    ("teacher home", "GET", "/teach", None, (LOGIN, 403, 200, 200, 200)),
    ("new deck page", "GET", "/teach/decks/new", None, (LOGIN, 403, 200, 200, 200)),
    ("create deck", "POST", "/teach/decks/new", lambda w: deck_form("Fresh"), (LOGIN, 403, 303, 303, 303)),
    ("editor, public deck", "GET", "/teach/decks/{pub}", None, (LOGIN, 403, 403, 200, 200)),
    ("editor, private deck", "GET", "/teach/decks/{priv}", None, (LOGIN, 404, 404, 200, 200)),
    ("editor, no such deck", "GET", "/teach/decks/nope", None, (LOGIN, 404, 404, 404, 404)),
    ("editor, shipped deck", "GET", "/teach/decks/shipped", None, (LOGIN, 403, 403, 403, 403)),
    ("settings page", "GET", "/teach/decks/{pub}/settings", None, (LOGIN, 403, 403, 200, 200)),
    (
        "save settings",
        "POST",
        "/teach/decks/{pub}/settings",
        lambda w: deck_form(),
        (LOGIN, 403, 403, 303, 303),
    ),
    (
        "save settings, private",
        "POST",
        "/teach/decks/{priv}/settings",
        lambda w: deck_form(visibility="private"),
        (LOGIN, 404, 404, 303, 303),
    ),
    ("add entry", "POST", "/teach/decks/{pub}/entries", lambda w: entry_form(), (LOGIN, 403, 403, 303, 303)),
    (
        "add entry, private",
        "POST",
        "/teach/decks/{priv}/entries",
        lambda w: entry_form(),
        (LOGIN, 404, 404, 303, 303),
    ),
    ("entry row", "GET", "/teach/decks/{pub}/entries/{key}", None, (LOGIN, 403, 403, 303, 303)),
    ("edit entry page", "GET", "/teach/decks/{pub}/entries/{key}/edit", None, (LOGIN, 403, 403, 200, 200)),
    (
        "edit entry, private",
        "GET",
        "/teach/decks/{priv}/entries/{pkey}/edit",
        None,
        (LOGIN, 404, 404, 200, 200),
    ),
    (
        "edit entry, no such key",
        "GET",
        "/teach/decks/{pub}/entries/nope/edit",
        None,
        (LOGIN, 403, 403, 404, 404),
    ),
    (
        "save entry",
        "POST",
        "/teach/decks/{pub}/entries/{key}",
        lambda w: entry_form(f"e-{w.public_key}", "谢谢", "thank you"),
        (LOGIN, 403, 403, 303, 303),
    ),
    (
        "move entry",
        "POST",
        "/teach/decks/{pub}/entries/{key}/move",
        lambda w: {"direction": "down"},
        (LOGIN, 403, 403, 303, 303),
    ),
    (
        "delete entry",
        "POST",
        "/teach/decks/{pub}/entries/{key}/delete",
        lambda w: {},
        (LOGIN, 403, 403, 303, 303),
    ),
    (
        "delete entry, private",
        "POST",
        "/teach/decks/{priv}/entries/{pkey}/delete",
        lambda w: {},
        (LOGIN, 404, 404, 303, 303),
    ),
    ("pinyin preview", "GET", "/teach/pinyin?new-headword=谢谢", None, (LOGIN, 403, 200, 200, 200)),
    ("import page", "GET", "/teach/decks/{pub}/import", None, (LOGIN, 403, 403, 200, 200)),
    ("import page, private", "GET", "/teach/decks/{priv}/import", None, (LOGIN, 404, 404, 200, 200)),
    ("upload", "POST", "/teach/decks/{pub}/import", lambda w: upload(), (LOGIN, 403, 403, 303, 303)),
    # A preview belongs to whoever uploaded it: the admin has their own, not the owner's.
    ("import preview", "GET", "/teach/decks/{pub}/import/{token}", None, (LOGIN, 403, 403, 200, 404)),
    (
        "confirm import",
        "POST",
        "/teach/decks/{pub}/import/{token}",
        lambda w: {},
        (LOGIN, 403, 403, 303, 404),
    ),
    (
        "cancel import",
        "POST",
        "/teach/decks/{pub}/import/{token}/cancel",
        lambda w: {},
        (LOGIN, 403, 403, 303, 404),
    ),
    ("export csv", "GET", "/teach/decks/{pub}/export.csv", None, (LOGIN, 403, 403, 200, 200)),
    ("export toml", "GET", "/teach/decks/{pub}/export.toml", None, (LOGIN, 403, 403, 200, 200)),
    ("export apkg, private", "GET", "/teach/decks/{priv}/export.apkg", None, (LOGIN, 404, 404, 200, 200)),
    ("export, shipped deck", "GET", "/teach/decks/shipped/export.csv", None, (LOGIN, 403, 403, 403, 200)),
    ("export, unknown format", "GET", "/teach/decks/{pub}/export.xlsx", None, (LOGIN, 404, 404, 404, 404)),
    ("new class page", "GET", "/teach/classes/new", None, (LOGIN, 403, 200, 200, 200)),
    (
        "create class",
        "POST",
        "/teach/classes/new",
        lambda w: {"name": "Class B", "capacity": "30"},
        (LOGIN, 403, 303, 303, 303),
    ),
    ("class dashboard", "GET", "/teach/classes/{cls}", None, (LOGIN, 404, 404, 200, 200)),
    ("no such class", "GET", "/teach/classes/999", None, (LOGIN, 404, 404, 404, 404)),
    (
        "assign deck",
        "POST",
        "/teach/classes/{cls}/decks",
        lambda w: {"deck": "shipped"},
        (LOGIN, 404, 404, 303, 303),
    ),
    (
        "unassign deck",
        "POST",
        "/teach/classes/{cls}/decks/{pub}/unassign",
        lambda w: {},
        (LOGIN, 404, 404, 303, 303),
    ),
    (
        "remove learner",
        "POST",
        "/teach/classes/{cls}/members/{member}/remove",
        lambda w: {},
        (LOGIN, 404, 404, 303, 303),
    ),
    ("new join code", "POST", "/teach/classes/{cls}/code", lambda w: {}, (LOGIN, 404, 404, 303, 303)),
    ("invites page", "GET", "/teach/invites", None, (LOGIN, 403, 403, 200, 200)),
    ("new invite", "POST", "/teach/invites", lambda w: {}, (LOGIN, 403, 403, 303, 303)),
    ("accounts", "GET", "/admin/users", None, (LOGIN, 403, 403, 403, 200)),
    ("outbox", "GET", "/admin/outbox", None, (LOGIN, 403, 403, 403, 200)),
    # No mail 999999: the outbox is refused to all but admins before any mail is looked up.
    ("outbox mail", "GET", "/admin/outbox/999999", None, (LOGIN, 403, 403, 403, 404)),
    ("outbox mail's HTML", "GET", "/admin/outbox/999999/html", None, (LOGIN, 403, 403, 403, 404)),
    (
        "set role",
        "POST",
        "/admin/users/{learner}/role",
        lambda w: {"role": "teacher"},
        (LOGIN, 403, 403, 403, 303),
    ),
    (
        "allow invites",
        "POST",
        "/admin/users/{other}/invite",
        lambda w: {"allowed": "1"},
        (LOGIN, 403, 403, 403, 303),
    ),
    ("join page", "GET", "/join", None, (LOGIN, 200, 200, 200, 200)),
    # The owner teaches the class: refused beside the code field.
    ("join", "POST", "/join", lambda w: {"code": w.join_code.lower()}, (LOGIN, 303, 303, 422, 303)),
    ("join, wrong code", "POST", "/join", lambda w: {"code": "ZZZZZZZZ"}, (LOGIN, 422, 422, 422, 422)),
    # A visitor sees the class a link invites them to, and may sign up to join it (issue 16).
    ("join link", "GET", "/join/{code}", None, (200, 200, 200, 200, 200)),
    ("join by link", "POST", "/join/{code}", lambda w: {"code": w.join_code}, (LOGIN, 303, 303, 422, 303)),
    ("join link, wrong code", "GET", "/join/ZZZZZZZZ", None, (404, 404, 404, 404, 404)),
    ("sign up without joining", "POST", "/join/not-now", lambda w: {}, (303, 303, 303, 303, 303)),
    ("my classes", "GET", "/classes", None, (LOGIN, 200, 200, 200, 200)),
    (
        "leave a class one is not in",
        "POST",
        "/classes/{cls}/leave",
        lambda w: {},
        (LOGIN, 404, 404, 404, 404),
    ),
    ("invite page", "GET", "/invite", None, (LOGIN, 200, 200, 200, 200)),
    ("redeem a wrong invite", "POST", "/invite", lambda w: {"code": "NOPE"}, (LOGIN, 422, 422, 422, 422)),
    ("deck page, private", "GET", "/decks/{priv}", None, (404, 404, 404, 200, 200)),
    ("deck page, public", "GET", "/decks/{pub}", None, (200, 200, 200, 200, 200)),
    ("enroll in a private deck", "POST", "/decks/{priv}/enroll", lambda w: {}, (LOGIN, 404, 404, 303, 303)),
]


@pytest.fixture
def world(app) -> World:
    built = build_world()
    make_deck("shipped", entries=2)  # a deck from a deck file: no author
    return built


def actor_user(world: World, actor: str):
    return {
        "anonymous": None,
        "learner": world.learner,
        "other": world.other,
        "owner": world.owner,
        "admin": world.admin,
    }[actor]


def fill(path: str, world: World) -> str:
    return path.format(
        pub=world.public_slug,
        priv=world.private_slug,
        key=world.public_key,
        pkey=world.private_key,
        token=world.import_token,
        cls=world.class_id,
        member=world.member.id,
        learner=world.learner.id,
        other=world.other.id,
        code=world.join_code,
    )


CASES = [
    pytest.param(name, method, path, data, actor, outcome, id=f"{name} as {actor}")
    for name, method, path, data, outcomes in ROUTES
    for actor, outcome in zip(ACTORS, outcomes, strict=True)
]


@pytest.mark.parametrize(("name", "method", "path", "data", "actor", "expected"), CASES)
def test_route_as_each_actor(app, world, name, method, path, data, actor, expected):
    user = actor_user(world, actor)
    client = client_for(app, user)
    url = fill(path, world)
    before = fingerprint()
    if method == "GET":
        response = client.get(url)
    else:
        form = dict(data(world)) if data else {}
        form["csrf_token"] = token(client, logged_in=user is not None)
        response = client.post(url, data=form, content_type="multipart/form-data")
    if expected == LOGIN:
        assert response.status_code in (302, 303)
        assert response.headers["Location"].startswith("/login")
    else:
        assert response.status_code == expected, response.get_data(as_text=True)[:500]
    if expected in (LOGIN, 403, 404) or (expected == 422 and method == "POST"):
        assert fingerprint() == before, "a refused request changed the database"
    if expected == 404:
        html = response.get_data(as_text=True)
        assert "Secret deck" not in html and "秘密" not in html


def test_every_teaching_route_is_in_the_table(app):
    """A new route must be added to the table above."""
    adapter = app.url_map.bind("localhost")
    dummies = {"cls": "1", "member": "1", "learner": "1", "other": "1"}
    walked = set()
    for _, method, path, _, _ in ROUTES:
        concrete = re.sub(r"\{(\w+)\}", lambda m: dummies.get(m.group(1), "x"), path.split("?")[0])
        endpoint, _ = adapter.match(concrete, method=method)
        walked.add((endpoint, method))
    missing = [
        f"{method} {rule.rule}"
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] in ("teach", "classes", "admin", "invites")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
        if (rule.endpoint, method) not in walked
    ]
    assert missing == []


def test_unlisted_decks_are_reachable_by_link_but_not_listed(app):
    teacher = make_account("olive", "teacher")
    deck = editor.create_deck(teacher, DeckFields(title="Link only", visibility="unlisted"), T0)
    editor.add_entry(teacher, deck.slug, EntryFields(headword="你好", meaning="hello"), T0)
    visitor = app.test_client()
    assert visitor.get(f"/decks/{deck.slug}").status_code == 200
    assert deck.slug not in visitor.get("/decks").get_data(as_text=True)
    assert "Link only" not in visitor.get("/wiki?q=hello").get_data(as_text=True)
    learner = client_for(app, make_account("lily"))
    response = learner.post(f"/decks/{deck.slug}/enroll", data={"csrf_token": token(learner)})
    assert response.status_code == 303

"""Input hygiene (issue 14): characters no field can take are refused once, where a request enters the app
(learnapp/inputs.py), with a 400 page that names the character and where it was; numbers that are not
finite are a field message; invisible and direction-changing characters are never shown, whatever stored
them. Every route of the URL map is walked with a NUL byte in each path parameter, in the query string
and in every form field: never a 500, always the 400 page, and the database unchanged."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select, update
from wtforms import DecimalField, FloatField
from wtforms.fields.core import UnboundField

from learnapp.decks.service import enroll
from learnapp.extensions import db
from learnapp.forms import FiniteDecimalField
from learnapp.inputs import JSON_ENDPOINTS
from learnapp.models import CardState, Entry, ReaderText, User
from tests.conftest import ROOT, csrf_from
from tests.factories import T0
from tests.http.routes_support import all_forms, field_names, fill, path_values
from tests.http.test_settings import VALID
from tests.http.test_teach_support import build_world, client_for, fingerprint, htmx, token

NUL = "a\x00b"
REFUSAL = "A character we can&#39;t accept"


def refused(response, what: str, where: str) -> bool:
    html = response.get_data(as_text=True)
    return (
        response.status_code == 400
        and REFUSAL in html
        and what in html
        and where in html.replace("&#34;", '"')
        and response.headers["Cache-Control"] == "no-store"
    )


@pytest.fixture
def world(app):
    return build_world()


# --- the examples of the issue ---------------------------------------------------------------------------


def test_a_nul_in_the_login_form_is_a_400_naming_it(client):
    login_token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"login": NUL, "password": "x", "csrf_token": login_token})
    assert refused(response, "a NUL byte (U+0000)", "The form field “login”")
    assert "<html" in response.get_data(as_text=True)  # a whole page


def test_for_htmx_the_refusal_goes_to_the_message_area_and_the_form_stays(client):
    response = client.get("/wiki?q=a%00b", headers=htmx())
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The query parameter “q” contains a NUL byte (U+0000)" in html.replace("&#34;", '"')
    assert "<html" not in html and 'id="refused" role="alert"' in html
    assert response.headers["HX-Retarget"] == "#flashes"
    assert response.headers["HX-Reswap"] == "innerHTML show:top"
    assert "HX-Request" in response.headers["Vary"]


def test_a_pasted_text_with_a_control_character_is_told_beside_the_box_and_not_saved(app, world):
    """The one exception to the rule at the door (inputs.CHECKED_BY_VIEW): the reader's box is checked by
    the reader, which refuses the same characters with a message beside the box, not a 400 page."""
    learner = client_for(app, world.learner)
    data = {"text": "你好\x1b[31m", "csrf_token": token(learner)}
    for headers in ({}, htmx()):
        response = learner.post("/read", data=data, headers=headers)
        page = response.get_data(as_text=True)
        assert response.status_code == 422 and "HX-Retarget" not in response.headers
        assert 'id="text-error">The text has a control character (U+001B) in it' in page
    # Its other fields are still checked at the door.
    response = learner.post("/read", data=data | {"title": "a\x1bb"})
    assert refused(response, "a control character (U+001B)", "The form field “title”")
    assert db.session.scalar(select(func.count()).select_from(ReaderText)) == 0


@pytest.mark.parametrize(
    "path", ["/decks/a%00b", "/n/a%00b", "/n/a%00b.png", "/wiki/a%00b/key", "/static/a%00b", "/nowhere%00"]
)
def test_a_nul_in_the_address_is_a_400(client, world, path):
    learner = client_for(client.application, world.learner)
    assert refused(learner.get(path), "a NUL byte", "The address")
    assert refused(client.get(path), "a NUL byte", "The address")


@pytest.mark.parametrize("query", ["tag=%00", "q=%00", "category=%00", "level=%00"])
def test_a_nul_in_a_wiki_query_is_a_400(client, query):
    assert refused(client.get(f"/wiki?{query}"), "a NUL byte", "The query parameter")


def test_a_nul_in_the_display_name_is_refused_and_saves_nothing(app, world):
    learner = client_for(app, world.learner)
    settings_token = csrf_from(learner.get("/settings").get_data(as_text=True))
    before = db.session.scalar(select(User.display_name).where(User.id == world.learner.id))
    data = VALID | {"display_name": "Mei\x00", "csrf_token": settings_token}
    assert refused(learner.post("/settings", data=data), "a NUL byte", "The form field “display_name”")
    db.session.expire_all()
    assert db.session.scalar(select(User.display_name).where(User.id == world.learner.id)) == before


@pytest.mark.parametrize(
    ("char", "name"),
    [
        ("\u202e", "a right-to-left override (U+202E)"),
        ("\u2066", "a left-to-right isolate (U+2066)"),
        ("\x07", "a control character (U+0007)"),
        ("\x85", "a control character (U+0085)"),
        ("\x7f", "a control character (U+007F)"),
    ],
)
def test_bidirectional_overrides_and_controls_are_refused_in_forms(app, world, char, name):
    learner = client_for(app, world.learner)
    settings_token = csrf_from(learner.get("/settings").get_data(as_text=True))
    data = VALID | {"display_name": f"Mei{char}Lin", "csrf_token": settings_token}
    assert refused(learner.post("/settings", data=data), name, "“display_name”")


@pytest.mark.parametrize("path", ["/decks/a%09b", "/decks/a%0Ab", "/decks/a%E2%80%8Eb", "/decks/a%D8%9Cb"])
def test_tabs_line_breaks_and_direction_marks_are_refused_in_the_address(client, path):
    assert client.get(path).status_code == 400


def test_tabs_and_line_breaks_are_text_in_a_form(app, world):
    owner = client_for(app, world.owner)
    response = owner.post(
        f"/teach/decks/{world.public_slug}/entries",
        data={
            "new-headword": "加油",
            "new-meaning": "come on",
            "new-notes": "line one\r\n\tline two",
            "csrf_token": token(owner),
        },
    )
    assert response.status_code == 303
    notes = db.session.scalar(select(Entry.notes).where(Entry.headword == "加油"))
    assert notes == "line one\n\tline two"


def test_a_direction_mark_in_a_value_is_let_through_and_dropped(app, world):
    learner = client_for(app, world.learner)
    settings_token = csrf_from(learner.get("/settings").get_data(as_text=True))
    data = VALID | {"display_name": "\u200eMei\u200f", "csrf_token": settings_token}
    assert learner.post("/settings", data=data).status_code == 303
    db.session.expire_all()
    assert db.session.scalar(select(User.display_name).where(User.id == world.learner.id)) == "Mei"


def test_a_nul_in_an_uploaded_file_name_is_a_400(app, world):
    owner = client_for(app, world.owner)
    before = fingerprint()
    upload = (io.BytesIO("headword,meaning\n加油,come on\n".encode()), "more\x00.csv")
    response = owner.post(
        f"/teach/decks/{world.public_slug}/import", data={"file": upload, "csrf_token": token(owner)}
    )
    assert refused(response, "a NUL byte", "The name of the file sent as “file”")
    assert fingerprint() == before


def test_a_nul_or_a_lone_surrogate_in_json_is_a_400_in_json(app, world):
    learner = client_for(app, world.learner)
    for raw in ('"a\\u0000b"', '"\\ud800"'):
        body = '{"answers": [{"id": ' + raw + ', "card_id": 1}]}'
        response = learner.post(
            "/study/sync",
            data=body,
            headers={"Content-Type": "application/json", "X-CSRFToken": token(learner)},
        )
        assert response.status_code == 400
        assert response.is_json
        assert "The JSON body contains" in response.get_json()["message"]


@pytest.mark.parametrize("body", [b"[" * 100_000, b'{"answers": ' + b"[" * 950 + b"]" * 950 + b"}"])
def test_json_nested_too_deeply_is_a_400_not_a_500(app, world, body):
    learner = client_for(app, world.learner)
    headers = {"Content-Type": "application/json", "X-CSRFToken": token(learner)}
    response = learner.post("/study/sync", data=body, headers=headers)
    assert response.status_code == 400 and response.is_json


def test_a_toml_upload_nested_too_deeply_is_a_problem_of_the_file(app, world):
    owner = client_for(app, world.owner)
    before = fingerprint()
    upload = (io.BytesIO(b"x = " + b"[" * 5000), "deep.toml")
    response = owner.post(
        f"/teach/decks/{world.public_slug}/import",
        data={"file": upload, "csrf_token": token(owner)},
        follow_redirects=True,
    )
    assert response.status_code in (200, 422)
    assert "not valid TOML: nested too deeply" in response.get_data(as_text=True)
    assert fingerprint()["entries"] == before["entries"]


@pytest.mark.parametrize("body", ["[null]", '{"password": {"a": 1}}', '{"confirm": [1, 2]}', "7"])
def test_json_where_a_form_is_expected_is_a_415(app, world, body):
    learner = client_for(app, world.learner)
    headers = {"Content-Type": "application/json", "X-CSRFToken": token(learner)}
    response = learner.post("/account/delete", data=body, headers=headers)
    assert response.status_code == 415
    assert response.get_json()["message"] == "This address takes a form, not JSON."
    assert db.session.get(User, world.learner.id) is not None


def test_the_endpoints_that_read_json_are_the_ones_listed():
    """A view that reads a JSON body must be listed in inputs.JSON_ENDPOINTS, or its JSON is a 415."""
    readers = set()
    for path in (ROOT / "learnapp").rglob("*views.py"):
        source = path.read_text(encoding="utf-8")
        blueprint = re.search(r'Blueprint\("(\w+)"', source)
        for view in re.findall(r"def (\w+)\([^)]*\)[^:]*:(?:(?!\ndef ).)*get_json", source, re.S):
            readers.add(f"{blueprint.group(1)}.{view}")
    assert readers == set(JSON_ENDPOINTS)


def test_a_suspend_with_a_session_it_cannot_name_is_refused_and_suspends_nothing(app, world):
    """Found by the route fuzzing: the card was suspended, then the form's session refused (a 400 that had
    changed the database)."""
    enroll(world.learner, world.public_slug, T0)
    learner = client_for(app, world.learner)
    card_id = db.session.scalar(select(CardState.card_id).where(CardState.user_id == world.learner.id))
    response = learner.post(
        f"/study/cards/{card_id}/suspend", data={"session": "١٢", "csrf_token": token(learner)}
    )
    assert response.status_code == 400
    db.session.expire_all()
    suspended = db.session.scalar(
        select(CardState.suspended).where(CardState.user_id == world.learner.id, CardState.card_id == card_id)
    )
    assert suspended is False


# --- every route, a NUL everywhere ---------------------------------------------------------------------


def _requests(app, world):
    """(method, url, data) for every rule: a NUL in each path parameter, in a query parameter of every
    name the app reads, and in every form field."""
    values = path_values(world)
    names = field_names()
    query = "&".join(f"{name}=a%00b" for name in names)
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        for argument in sorted(rule.arguments):
            path = fill(rule.rule, values | {argument: "a%00b"})
            for method in methods:
                yield method, path, None
        path = fill(rule.rule, values)
        for method in methods:
            yield method, f"{path}?{query}", None
            if method == "POST":
                yield method, path, dict.fromkeys(names, NUL)


@pytest.mark.parametrize("who", ["anonymous", "learner", "owner", "admin"])
def test_every_route_refuses_a_nul_in_every_place_and_changes_nothing(app, world, who):
    client = client_for(app, None if who == "anonymous" else getattr(world, who))
    csrf = token(client, logged_in=who != "anonymous")
    before = fingerprint()
    seen = 0
    for method, url, data in _requests(app, world):
        form = None if data is None else data | {"csrf_token": csrf}
        response = client.open(url, method=method, data=form)
        assert response.status_code == 400, (who, method, url, response.status_code)
        assert REFUSAL in response.get_data(as_text=True), (who, method, url)
        seen += 1
    assert seen > 200
    assert fingerprint() == before


# --- numbers that are not numbers ------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["sNaN", "-sNaN", "nan", "NaN", "-nan", "inf", "-inf", "Infinity", "1e999"])
def test_a_retention_that_is_not_a_finite_number_is_a_field_message(app, world, value):
    learner = client_for(app, world.learner)
    settings_token = csrf_from(learner.get("/settings").get_data(as_text=True))
    db.session.expire_all()
    before = db.session.get(User, world.learner.id).desired_retention
    response = learner.post(
        "/settings", data=VALID | {"desired_retention": value, "csrf_token": settings_token}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'<p class="error" id="desired_retention-error">(Type a number|Between)', html)
    db.session.expire_all()
    assert db.session.get(User, world.learner.id).desired_retention == before


def test_every_decimal_field_of_every_form_takes_finite_numbers_only(app):
    fields = [
        (form.__name__, name, value.field_class)
        for form in all_forms()
        for name, value in vars(form).items()
        if isinstance(value, UnboundField) and issubclass(value.field_class, (DecimalField, FloatField))
    ]
    assert fields, "the settings form has a decimal field"
    assert all(issubclass(field, FiniteDecimalField) for _, _, field in fields), fields


# --- never shown ---------------------------------------------------------------------------------------


SPOOF = "\u202eevil\u202c\u200b\u3164Mei\u2066\u200e"


def test_a_stored_display_name_shows_without_invisible_characters(app, world):
    """A row written before the rules: the header, the class list and the teacher's dashboard show it
    clean."""
    db.session.execute(update(User).where(User.id == world.member.id).values(display_name=SPOOF))
    db.session.execute(update(User).where(User.id == world.owner.id).values(display_name="\u3164\u200b"))
    db.session.commit()
    member = client_for(app, world.member)
    header = member.get("/").get_data(as_text=True)
    assert '<span class="display-name">evilMei</span>' in header
    classes = member.get("/classes").get_data(as_text=True)
    assert "Teacher: olive" in classes  # an invisible name is no name: the username shows
    dashboard = client_for(app, world.owner).get(f"/teach/classes/{world.class_id}").get_data(as_text=True)
    assert "evilMei" in dashboard
    for page in (header, classes, dashboard):
        assert not re.search("[\u202a-\u202e\u2066-\u2069\u200b\u200e\u3164]", page)


def test_a_display_name_is_saved_without_zero_width_characters_but_keeps_its_emoji(app, world):
    learner = client_for(app, world.learner)
    settings_token = csrf_from(learner.get("/settings").get_data(as_text=True))
    family = "👨\u200d👩\u200d👧"
    data = VALID | {"display_name": f"\u3164Mei\u200b\u200d {family}", "csrf_token": settings_token}
    assert learner.post("/settings", data=data).status_code == 303
    db.session.expire_all()
    assert db.session.get(User, world.learner.id).display_name == f"Mei {family}"
    assert f'<span class="display-name">Mei {family}</span>' in learner.get("/").get_data(as_text=True)


def test_entry_text_from_a_deck_file_shows_without_overrides_and_keeps_emoji_sequences(app, world, client):
    family = "👨\u200d👩\u200d👧"
    db.session.execute(
        update(Entry)
        .where(Entry.key == world.public_key)
        .values(headword=family, meaning="a family\u202e ylimaf", notes="note\u2067 here\x1b")
    )
    db.session.commit()
    page = client.get(f"/wiki/{world.public_slug}/{world.public_key}").get_data(as_text=True)
    assert family in page  # the joiners inside the emoji sequence survive
    assert "a family ylimaf" in page and "note here" in page
    assert not re.search("[\u202a-\u202e\u2066-\u2069\x1b]", page)


def test_markup_stays_markup_when_stripped(app):
    from markupsafe import Markup

    from learnapp.templating import finalize

    assert finalize(Markup("<b>x\u202e</b>")) == Markup("<b>x</b>")
    assert isinstance(finalize(Markup("<b>x\u202e</b>")), Markup)
    assert finalize("plain") == "plain" and finalize(3) == 3 and finalize(None) is None

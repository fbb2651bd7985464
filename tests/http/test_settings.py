"""The settings page over HTTP: a valid save changes the user row and the next page; every bad value comes
back beside its field with a 422 and changes nothing; the next card uses the new limits."""

import re

import pytest
from sqlalchemy import select

from learnapp.decks.service import enroll
from learnapp.extensions import db
from learnapp.models import User
from tests.conftest import csrf_from
from tests.factories import T0, make_deck, make_user

HTMX = {"HX-Request": "true"}
VALID = {
    "display_name": "Mei Lin",
    "desired_retention": "0.85",
    "new_per_day": "7",
    "reviews_per_day": "150",
    "timezone": "Europe/Berlin",
    "day_rollover_hour": "5",
    "tone_scheme": "dummitt",
    "ruby": "y",
    # bury_siblings left out: an unticked checkbox
}
COLUMNS = (
    "display_name",
    "desired_retention",
    "new_per_day",
    "reviews_per_day",
    "timezone",
    "day_rollover_hour",
    "preferences",
)


def mei():
    user = db.session.scalar(select(User).where(User.username == "mei"))
    db.session.refresh(user)
    return user


def snapshot():
    user = mei()
    return {column: getattr(user, column) for column in COLUMNS}


def body_class(html):
    return re.search(r'<body class="([^"]*)"', html).group(1)


@pytest.fixture
def learner(app, client, auth):
    make_deck(entries=5)
    user = make_user("mei", onboarding_step="done")
    enroll(user, "test-deck", T0)
    assert auth.login("mei").status_code == 303
    return client


def post_settings(client, headers=None, **changes):
    token = csrf_from(client.get("/settings").get_data(as_text=True))
    data = {key: value for key, value in (VALID | changes).items() if value is not None}
    return client.post("/settings", data=data | {"csrf_token": token}, headers=headers or {})


def test_settings_page_shows_the_current_values(learner):
    response = learner.get("/settings")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'<input[^>]* id="desired_retention"[^>]* value="0.90">', html)
    assert re.search(r'<input[^>]* id="new_per_day"[^>]* value="20">', html)
    assert re.search(r'<input[^>]* id="reviews_per_day"[^>]* value="200">', html)
    assert re.search(r'<input[^>]* id="day_rollover_hour"[^>]* value="4">', html)
    assert '<option selected value="Asia/Shanghai">Asia/Shanghai</option>' in html
    assert re.search(r'<input checked id="bury_siblings"', html)
    assert not re.search(r'<input checked id="ruby"', html)
    assert body_class(html) == "tones-pleco"


def test_a_valid_save_changes_the_user_and_the_next_page(learner):
    response = post_settings(learner)
    assert response.status_code == 303
    assert response.headers["Location"] == "/settings"
    assert snapshot() == {
        "display_name": "Mei Lin",
        "desired_retention": 0.85,
        "new_per_day": 7,
        "reviews_per_day": 150,
        "timezone": "Europe/Berlin",
        "day_rollover_hour": 5,
        "preferences": {"tone_scheme": "dummitt", "ruby": True, "bury_siblings": False},
    }
    page = learner.get("/settings").get_data(as_text=True)
    assert "Settings saved. Your next card uses them." in page
    assert body_class(page) == "tones-dummitt ruby-on"
    assert '<span class="display-name">Mei Lin</span>' in page
    assert not re.search(r'<input checked id="bury_siblings"', page)
    assert re.search(r'<input checked id="ruby"', page)
    # Every page, not just settings.
    assert body_class(learner.get("/study").get_data(as_text=True)) == "tones-dummitt ruby-on"


def test_turning_options_back_off_and_on(learner):
    post_settings(learner)
    response = post_settings(learner, ruby=None, bury_siblings="y", tone_scheme="off", display_name="  ")
    assert response.status_code == 303
    user = mei()
    assert user.preferences == {"tone_scheme": "off", "ruby": False, "bury_siblings": True}
    assert user.display_name is None  # blank: the username is shown
    page = learner.get("/settings").get_data(as_text=True)
    assert body_class(page) == "tones-off"
    assert '<span class="display-name">mei</span>' in page


def test_a_save_with_htmx_gets_hx_redirect(learner):
    response = post_settings(learner, headers=HTMX, new_per_day="3")
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/settings"
    assert mei().new_per_day == 3


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("desired_retention", "abc", "Type a number between 0.70 and 0.97, like 0.90."),
        ("desired_retention", "0.5", "Between 0.70 and 0.97."),
        ("desired_retention", "0.99", "Between 0.70 and 0.97."),
        ("desired_retention", "", "Type a number between 0.70 and 0.97, like 0.90."),
        ("new_per_day", "-1", "Between 0 and 999."),
        ("new_per_day", "x", "Type a whole number."),
        ("new_per_day", "2.5", "Type a whole number."),
        ("reviews_per_day", "100000", "Between 0 and 9999."),
        ("day_rollover_hour", "24", "An hour from 0 to 23."),
        ("day_rollover_hour", "-1", "An hour from 0 to 23."),
        ("timezone", "Mars/Base", "Not a valid choice."),
        ("tone_scheme", "rainbow", "Not a valid choice."),
        ("display_name", "名" * 31, "At most 30 characters."),
    ],
)
def test_bad_input_is_shown_beside_its_field_and_changes_nothing(learner, field, value, message):
    before = snapshot()
    response = post_settings(learner, **{field: value})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'<p class="error" id="{field}-error">{message}</p>' in html
    assert html.count('class="error"') == 1  # only that field complains
    assert re.search(rf'<div class="field has-error">\s*<label for="{field}"', html)
    assert snapshot() == before
    assert "Settings saved" not in html


def test_a_display_name_of_thirty_characters_is_fine(learner):
    assert post_settings(learner, display_name="名" * 30).status_code == 303
    assert mei().display_name == "名" * 30


def test_html_in_the_display_name_is_shown_as_text(learner):
    response = post_settings(learner, display_name="<b>Mei</b><script>")
    assert response.status_code == 303
    assert mei().display_name == "<b>Mei</b><script>"
    page = learner.get("/").get_data(as_text=True)
    assert '<span class="display-name">&lt;b&gt;Mei&lt;/b&gt;&lt;script&gt;</span>' in page
    assert "<b>Mei</b>" not in page
    assert "<script>" not in page.split("</header>")[0]


def test_a_save_without_the_csrf_token_changes_nothing(learner):
    before = snapshot()
    response = learner.post("/settings", data=VALID)
    assert response.status_code == 400
    assert snapshot() == before


def test_settings_need_a_login(client):
    response = client.get("/settings")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/settings")


def test_lower_limits_apply_to_the_next_card(learner):
    study = learner.get("/study").get_data(as_text=True)
    assert '<b data-count="new">5</b>' in study
    assert 'data-card-id="' in study
    assert post_settings(learner, new_per_day="0", timezone="Asia/Shanghai").status_code == 303
    after = learner.get("/study").get_data(as_text=True)
    assert '<b data-count="new">0</b>' in after
    assert 'data-card-id="' not in after
    assert "All done for now" in after
    assert post_settings(learner, new_per_day="2", timezone="Asia/Shanghai").status_code == 303
    assert '<b data-count="new">2</b>' in learner.get("/study").get_data(as_text=True)

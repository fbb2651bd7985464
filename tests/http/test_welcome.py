"""The welcome flow (a Chinese nickname, then what to learn) and the nickname share pages over HTTP:
the real forms with CSRF, pages and htmx fragments, redirects, rows in the database, skip and resume.

Expected suggestions come from the pure generator (`suggest`), so these tests check that what the learner
sees and what gets stored is exactly what the generator gives for the same inputs."""

from __future__ import annotations

import html as htmllib
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from learnapp.decks.loader import load_directory
from learnapp.extensions import db
from learnapp.models import Deck, Enrollment, Nickname, User
from learnapp.nickname import suggest
from tests.conftest import ROOT, csrf_from
from tests.factories import T0

HTMX = {"HX-Request": "true"}
USERNAME = "quokka77"
EMAIL = "quokka77@example.com"
STARTERS = {
    "rednote": "rednote-starter",
    "slang": "internet-slang",
    "emoji": "emoji-decoded",
    "customs": "customs-etiquette",
    "mandarin": "mandarin-first-words",
}
SVG = "{http://www.w3.org/2000/svg}"


# --- helpers ----------------------------------------------------------------------------------------


def text_of(markup: str) -> str:
    """What a reader sees: tags dropped, entities decoded, whitespace collapsed."""
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def blocks(markup: str) -> list[str]:
    """The suggestion cards on a page or fragment, in order."""
    return re.findall(r'<article class="suggestion suggestion-\w+">(.*?)</article>', markup, re.DOTALL)


def shown_names(markup: str) -> list[str]:
    """The hanzi of the "Be ..." buttons, in order."""
    return re.findall(r'<button type="submit" name="pick" value="\d+"[^>]*>Be ([^<]+)</button>', markup)


def header_name(markup: str) -> str | None:
    match = re.search(r'<span class="display-name">([^<]*)</span>', markup)
    return htmllib.unescape(match.group(1)) if match else None


def meta(markup: str, key: str) -> str | None:
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', markup)
    return htmllib.unescape(match.group(1)) if match else None


def expected(name="Emily", feel="feminine", vibe=None, more=0):
    return suggest(name, feel, vibe, more).items


def suggestions_url(name="Emily", feel="feminine", vibe="", more=0) -> str:
    return f"/welcome/nickname?{_query(name=name, feel=feel, vibe=vibe, more=more)}"


def _query(**params) -> str:
    return urlencode(params)


def pick(client, index="0", name="Emily", feel="feminine", vibe="", more="0", **extra):
    """Ask for suggestions the way the page does, then press one of the "Be ..." buttons."""
    page = client.get(suggestions_url(name, feel, vibe, more)).get_data(as_text=True)
    form = {"csrf_token": csrf_from(page), "name": name, "feel": feel, "vibe": vibe, "more": more}
    return client.post("/welcome/nickname", data=form | {"pick": index} | extra)


def post(client, path, **data):
    token = csrf_from(client.get("/decks").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token} | data)


def follow(client, response, hops=3):
    """Follow redirects by hand, checking each is a redirect; returns the final response and the path."""
    path = None
    for _ in range(hops):
        if response.status_code not in (302, 303):
            break
        path = response.headers["Location"]
        response = client.get(path)
    return response, path


def nickname_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Nickname))


def parse_svg(response) -> ET.Element:
    return ET.fromstring(response.get_data())  # noqa: S314 (our own output, not untrusted input)


def the_user(username=USERNAME) -> User:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.username == username))


def enrolled_slugs(user_id: int) -> set[str]:
    return set(
        db.session.scalars(
            select(Deck.slug)
            .join(Enrollment, Enrollment.deck_id == Deck.id)
            .where(Enrollment.user_id == user_id, Enrollment.active)
        )
    )


@pytest.fixture
def learner(client, auth):
    response = auth.signup(username=USERNAME, email=EMAIL)
    assert response.status_code == 303
    return client


@pytest.fixture
def starter_decks(app):
    """Only the five starter decks, loaded through the real loader (faster than every deck)."""
    paths = [ROOT / "decks" / f"{slug}.toml" for slug in STARTERS.values()]
    report = load_directory(ROOT / "decks", T0, paths=paths)
    assert not report.failed
    assert {deck.slug for deck in db.session.scalars(select(Deck))} == set(STARTERS.values())


# --- sign-up into the welcome -----------------------------------------------------------------------


def test_sign_up_leads_into_the_nickname_step(client, auth):
    response = auth.signup(username=USERNAME, email=EMAIL)
    assert (response.status_code, response.headers["Location"]) == (303, "/welcome")
    welcome = client.get("/welcome")
    assert (welcome.status_code, welcome.headers["Location"]) == (303, "/welcome/nickname")
    page = client.get("/welcome/nickname")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Let's find your Chinese name" in html
    assert '<li aria-current="step">Your Chinese name</li>' in html
    assert 'id="name-step"' in html and ">Suggest names</button>" in html
    assert blocks(html) == []  # nothing suggested before the learner asks
    assert the_user().onboarding_step == "nickname"
    assert header_name(html) == USERNAME  # no nickname yet


def test_the_name_box_does_not_offer_the_username(learner):
    """Whatever is in the box ends up in the story on the public share page; a prefilled username would
    publish it for a learner who just presses Suggest names."""
    html = learner.get("/welcome/nickname").get_data(as_text=True)
    box = re.search(r'<input id="name" name="name"[^>]*>', html).group(0)
    assert 'value=""' in box
    assert "quokka" not in box.lower()


# --- suggestions ------------------------------------------------------------------------------------


def test_suggestions_come_as_a_page_and_as_the_name_step_fragment(learner):
    page = learner.get(suggestions_url())
    fragment = learner.get(suggestions_url(), headers=HTMX)
    assert page.status_code == fragment.status_code == 200
    assert "HX-Request" in page.headers["Vary"]
    page_html, fragment_html = page.get_data(as_text=True), fragment.get_data(as_text=True)
    assert "<html" in page_html and "Let's find your Chinese name" in page_html
    assert fragment_html.lstrip().startswith('<div id="name-step">')
    assert fragment_html.rstrip().endswith("</div>")
    assert (
        "<html" not in fragment_html and "<title>" not in fragment_html and "site-header" not in fragment_html
    )
    want = [s.hanzi for s in expected()]
    assert 3 <= len(want) <= 5
    assert shown_names(page_html) == shown_names(fragment_html) == want
    assert want[0] == "艾米莉"  # Emily, written the standard way, feminine


def test_each_suggestion_shows_hanzi_pinyin_meanings_a_why_and_a_button(learner):
    html = learner.get(suggestions_url(vibe="calm")).get_data(as_text=True)
    cards = blocks(html)
    want = expected(vibe="calm")
    assert len(cards) == len(want)
    for index, (card, s) in enumerate(zip(cards, want, strict=True)):
        seen = text_of(card)
        hanzi = re.search(r'<p class="suggestion-hanzi"[^>]*>(.*?)</p>', card, re.DOTALL).group(1)
        assert "".join(re.findall(r"<ruby[^>]*>([^<]+)<rp>", hanzi)) == s.hanzi
        pinyin = re.search(r'<p class="suggestion-pinyin"[^>]*>(.*?)<span class="speaker">', card, re.DOTALL)
        assert text_of(pinyin.group(1)) == s.pinyin
        assert f'data-speak="{s.hanzi}"' in card
        chars = re.findall(r"<li>(.*?)</li>", card, re.DOTALL)
        assert [text_of(c) for c in chars] == [f"{c.char} {c.pinyin} {c.meaning}" for c in s.chars]
        why = re.search(r'<p class="suggestion-why">(.*?)</p>', card, re.DOTALL).group(1)
        assert htmllib.unescape(why) == s.why
        assert f'name="pick" value="{index}"' in card
        assert seen.endswith(f"Be {s.hanzi}")
    assert "Sounds like your name" in text_of(cards[0])
    assert "A Chinese-style name" in text_of(cards[1])


def test_show_me_others_gives_another_batch_and_the_first_one_comes_back_identical(learner):
    first = learner.get(suggestions_url()).get_data(as_text=True)
    link = re.search(r'<a class="button subtle more" href="([^"]+)"', first)
    assert link, "no 'Show me others' link"
    assert "Show me others" in first
    others = learner.get(htmllib.unescape(link.group(1)), headers=HTMX).get_data(as_text=True)
    assert "more=1" in htmllib.unescape(link.group(1))
    assert shown_names(others) == [s.hanzi for s in expected(more=1)]
    assert shown_names(others) != shown_names(first)
    assert len(set(shown_names(others)) - set(shown_names(first))) >= 2  # mostly new names
    again = learner.get(suggestions_url(more=0)).get_data(as_text=True)
    assert blocks(again) == blocks(first)  # the same inputs give exactly the same cards
    assert 'name="more" value="1"' in others and 'name="more" value="0"' in again


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"feel": "robotic"}, "Choose feminine, masculine or neutral."),
        ({"vibe": "evil"}, "Choose one of the vibes offered."),
    ],
)
def test_an_unknown_feel_or_vibe_gets_a_message(learner, query, message):
    params = {"name": "Emily", "feel": "feminine", "vibe": ""} | query
    for headers in ({}, HTMX):
        response = learner.get(f"/welcome/nickname?{_query(**params)}", headers=headers)
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert f'<p class="error" role="alert">{message}</p>' in html
        assert shown_names(html) == []
        assert 'value="Emily"' in html  # what they typed stays in the box


BAD_NAMES = [
    "",
    "   ",
    "x" * 200,
    "José",
    "Zoë",
    "김민준",
    "O'Brien",
    "Mary-Jane",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<b>Tom</b>",
    "🎉🦄",
    "Emily 😀",
]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_unusual_names_get_suggestions_or_a_clear_message_and_are_always_escaped(learner, name):
    for headers in ({}, HTMX):
        response = learner.get(suggestions_url(name=name), headers=headers)
        html = response.get_data(as_text=True)
        assert response.status_code in (200, 422)
        assert "<script>" not in html and "<img src=x" not in html and "<b>Tom" not in html
        if response.status_code == 422:
            assert '<p class="error" id="name-error">Type your name, for example Emily.</p>' in html
            assert 'aria-invalid="true"' in html
            assert shown_names(html) == []
        else:
            assert 3 <= len(shown_names(html)) <= 5
            assert shown_names(html) == [s.hanzi for s in expected(name=name)]
    if not name.strip():
        assert response.status_code == 422
        return
    assert response.status_code == 200
    # Picking works too, and only Chinese characters become the display name.
    chosen = pick(learner, "0", name=name)
    assert (chosen.status_code, chosen.headers["Location"]) == (303, "/welcome/goals")
    user = the_user()
    assert user.display_name == expected(name=name)[0].hanzi
    assert re.fullmatch(r"[\u4e00-\u9fff]{1,6}", user.display_name)
    goals = learner.get("/welcome/goals").get_data(as_text=True)
    assert "<script>" not in goals and "<img src=x" not in goals


@pytest.mark.parametrize(
    ("name", "first", "shown"),
    [
        ("José", "何塞", "Sounds like your name"),
        ("Mary-Jane", "玛丽", "Mary (the first part of your name)"),
        ("김민준", None, "We could not read that name as Latin letters"),
        ("<script>alert(1)</script>", None, "We could not read that name as Latin letters"),
    ],
)
def test_names_in_other_scripts_are_read_sensibly(learner, name, first, shown):
    html = learner.get(suggestions_url(name=name)).get_data(as_text=True)
    assert shown in text_of(html)
    if first:
        assert shown_names(html)[0] == first
    else:
        assert "Sounds like your name" not in html and len(shown_names(html)) == 4
    if name.startswith("<script>"):
        assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in html  # kept in the box, escaped


# --- picking ----------------------------------------------------------------------------------------


def test_picking_a_suggestion_makes_it_the_display_name_with_a_share_page(learner):
    want = expected()[1]
    response = pick(learner, "1")
    assert (response.status_code, response.headers["Location"]) == (303, "/welcome/goals")
    nickname = db.session.scalar(select(Nickname))
    assert (nickname.hanzi, nickname.pinyin, nickname.kind) == (want.hanzi, want.pinyin, want.kind)
    assert nickname.details == want.to_dict()
    assert re.fullmatch(r"[A-Za-z0-9_-]{12}", nickname.share_token)
    assert nickname.public and nickname.current
    user = the_user()
    assert (user.display_name, user.onboarding_step) == (want.hanzi, "goals")
    goals = learner.get("/welcome/goals").get_data(as_text=True)
    assert header_name(goals) == want.hanzi
    assert f"You are {want.hanzi} ({want.pinyin}) here now." in goals
    assert f"{want.hanzi}, what would you like to learn?" in goals
    assert header_name(learner.get("/").get_data(as_text=True)) == want.hanzi


def test_a_pick_from_another_batch_stores_that_batch_s_name(learner):
    want = expected(more=2)[2]
    assert pick(learner, "2", more="2").status_code == 303
    assert the_user().display_name == want.hanzi
    assert db.session.scalar(select(Nickname.details)) == want.to_dict()


def test_a_forged_pick_cannot_choose_its_own_name(learner):
    forged = {"hanzi": "管理员", "pinyin": "guǎn lǐ yuán", "display_name": "Admin", "details": "{}"}
    response = pick(learner, "0", **forged)
    assert response.status_code == 303
    nickname = db.session.scalar(select(Nickname))
    assert nickname.hanzi == the_user().display_name == "艾米莉"
    assert nickname.details == expected()[0].to_dict()


@pytest.mark.parametrize(
    ("index", "message"),
    [
        ("9", "That suggestion is no longer on offer. Pick one from the list."),
        ("99", "That suggestion is no longer on offer. Pick one from the list."),
        ("100", "Pick one of the suggested names."),
        ("-1", "Pick one of the suggested names."),
        ("", "Pick one of the suggested names."),
        ("one", "Pick one of the suggested names."),
        ("²", "Pick one of the suggested names."),  # a digit to str.isdigit(), not to int()
    ],
)
def test_a_pick_out_of_range_is_refused_and_nothing_is_written(learner, index, message):
    response = pick(learner, index)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert nickname_count() == 0
    user = the_user()
    assert (user.display_name, user.onboarding_step) == (None, "nickname")


def test_the_index_just_past_the_batch_is_refused(learner):
    response = pick(learner, str(len(expected())))
    assert response.status_code == 400
    assert "That suggestion is no longer on offer." in response.get_data(as_text=True)
    assert nickname_count() == 0


def test_a_pick_with_an_empty_name_is_refused(learner):
    page = learner.get(suggestions_url()).get_data(as_text=True)
    response = learner.post(
        "/welcome/nickname",
        data={"csrf_token": csrf_from(page), "name": "", "feel": "feminine", "pick": "0"},
    )
    assert response.status_code == 400
    assert "Type your name, for example Emily." in response.get_data(as_text=True)
    assert nickname_count() == 0


# --- skip and resume --------------------------------------------------------------------------------


def test_skipping_the_name_goes_to_the_goals(learner):
    response = post(learner, "/welcome/skip", to="goals")
    page, path = follow(learner, response)
    assert path == "/welcome/goals"
    html = page.get_data(as_text=True)
    assert "What would you like to learn?" in html
    assert '<li aria-current="step">What to learn</li>' in html
    user = the_user()
    assert (user.onboarding_step, user.display_name) == ("goals", None)
    assert header_name(html) == USERNAME
    assert nickname_count() == 0


def test_skipping_the_whole_welcome_leads_to_the_dashboard_without_the_banner(learner):
    before = learner.get("/").get_data(as_text=True)
    assert "welcome-resume" in before and ">Continue</a>" in before
    response = post(learner, "/welcome/skip", to="done")
    page, path = follow(learner, response)
    assert path == "/"
    html = page.get_data(as_text=True)
    assert f"Hi, {USERNAME}" in html
    assert "welcome-resume" not in html and ">Continue</a>" not in html
    assert the_user().onboarding_step == "done"
    # Skipping does not go backwards, and an unknown step is refused.
    assert follow(learner, post(learner, "/welcome/skip", to="goals"))[1] == "/"
    assert the_user().onboarding_step == "done"
    bad = post(learner, "/welcome/skip", to="everything")
    assert bad.status_code == 400 and "There is no such step." in bad.get_data(as_text=True)


def test_a_learner_who_leaves_at_the_name_resumes_there(client, auth, learner):
    auth.logout()
    assert auth.login(USERNAME).headers["Location"] == "/"
    home = client.get("/").get_data(as_text=True)
    assert "Your welcome isn't finished: find your Chinese name." in text_of(home)
    assert 'href="/welcome">Continue</a>' in home
    assert follow(client, client.get("/welcome"))[1] == "/welcome/nickname"


def test_a_learner_who_leaves_after_the_name_resumes_at_the_goals(client, auth, learner):
    assert pick(learner, "0").status_code == 303
    auth.logout()
    auth.login(USERNAME)
    home = client.get("/").get_data(as_text=True)
    assert "Your welcome isn't finished: choose what to learn." in text_of(home)
    assert header_name(home) == "艾米莉"
    page, path = follow(client, client.get("/welcome"))
    assert path == "/welcome/goals"
    assert "艾米莉, what would you like to learn?" in page.get_data(as_text=True)


# --- goals ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("topics", "goal", "per_day"),
    [
        (["slang", "mandarin"], "light", 5),
        (["emoji"], "steady", 10),
        (list(STARTERS), "serious", 20),
    ],
)
def test_goals_enroll_exactly_the_starter_decks_and_start_the_first_session(
    learner, starter_decks, topics, goal, per_day
):
    post(learner, "/welcome/skip", to="goals")
    assert the_user().new_per_day == 20  # the default, before the goal
    page = learner.get("/welcome/goals").get_data(as_text=True)
    response = learner.post(
        "/welcome/goals", data={"csrf_token": csrf_from(page), "topics": topics, "goal": goal}
    )
    assert (response.status_code, response.headers["Location"]) == (303, "/study")
    user = the_user()
    assert enrolled_slugs(user.id) == {STARTERS[t] for t in topics}
    assert (user.new_per_day, user.onboarding_step) == (per_day, "done")
    study = learner.get("/study")
    html = study.get_data(as_text=True)
    assert study.status_code == 200
    assert re.search(r'data-card-id="\d+"', html), "no card on the first study page"
    decks = f"{len(topics)} deck{'s' if len(topics) != 1 else ''}"
    assert f"You&#39;re studying {decks}. Here is your first card!" in html
    assert f'<b data-count="new">{per_day}</b>' in html  # the daily goal, in today's counts
    assert "welcome-resume" not in learner.get("/").get_data(as_text=True)


def test_goals_without_a_topic_are_refused_and_nothing_is_enrolled(learner, starter_decks):
    post(learner, "/welcome/skip", to="goals")
    page = learner.get("/welcome/goals").get_data(as_text=True)
    response = learner.post("/welcome/goals", data={"csrf_token": csrf_from(page), "goal": "light"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert '<p class="error" id="topics-error">Pick at least one thing to learn.</p>' in html
    assert 'value="light" checked' in html  # the goal they chose is kept
    user = the_user()
    assert enrolled_slugs(user.id) == set()
    assert (user.onboarding_step, user.new_per_day) == ("goals", 20)


def test_goals_with_an_unknown_goal_are_refused(learner, starter_decks):
    page = learner.get("/welcome/goals").get_data(as_text=True)
    response = learner.post(
        "/welcome/goals", data={"csrf_token": csrf_from(page), "topics": ["slang"], "goal": "insane"}
    )
    assert response.status_code == 422
    assert "Pick a daily goal." in response.get_data(as_text=True)
    user = the_user()
    assert enrolled_slugs(user.id) == set()
    assert (user.onboarding_step, user.new_per_day) == ("nickname", 20)


# --- the share page ---------------------------------------------------------------------------------


def share_token_of(hanzi: str) -> str:
    db.session.expire_all()
    return db.session.scalar(select(Nickname.share_token).where(Nickname.hanzi == hanzi))


def test_the_share_page_shows_the_name_to_anyone_and_nothing_about_the_account(client, auth, learner):
    other = expected(name="Zoe")[0]
    assert pick(learner, "0", name="Zoe").status_code == 303  # an earlier nickname, still public
    assert pick(learner, "1").status_code == 303
    want = expected()[1]
    token = share_token_of(want.hanzi)
    auth.logout()
    response = client.get(f"/n/{token}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    h1 = re.search(r'<h1 class="nickname-hanzi"[^>]*>(.*?)</h1>', html, re.DOTALL).group(1)
    assert "".join(re.findall(r"<ruby[^>]*>([^<]+)<rp>", h1)) == want.hanzi
    seen = text_of(html)
    assert want.pinyin in seen
    assert f'data-speak="{want.hanzi}"' in html
    for c in want.chars:
        assert f"{c.char} {c.pinyin} {c.meaning}" in seen
    assert want.story in seen
    assert meta(html, "og:title") == f"{want.hanzi} · {want.pinyin}"
    assert meta(html, "og:image") == f"http://localhost/n/{token}.png"
    assert meta(html, "og:image:type") == "image/png"
    assert meta(html, "og:url") == f"http://localhost/n/{token}"
    assert meta(html, "twitter:card") == "summary_large_image"
    assert meta(html, "twitter:image") == meta(html, "og:image")
    assert f'data-copy="http://localhost/n/{token}"' in html
    assert "data-share=" in html
    # Nothing else about the account: no username, email, other nicknames or logged-in header.
    for secret in ("quokka", EMAIL, other.hanzi, "display-name", "Log out"):
        assert secret.lower() not in html.lower()
    assert "Join Huanying" in html


def test_the_share_page_is_the_same_for_its_owner(learner):
    assert pick(learner, "0").status_code == 303
    html = learner.get(f"/n/{share_token_of('艾米莉')}").get_data(as_text=True)
    assert "Join Huanying" not in html
    assert "ài mǐ lì" in text_of(html)


def test_the_share_card_is_well_formed_svg_with_the_name(client, auth, learner):
    assert pick(learner, "0").status_code == 303
    want = expected()[0]
    token = share_token_of(want.hanzi)
    auth.logout()
    response = client.get(f"/n/{token}.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    root = parse_svg(response)
    assert root.tag == f"{SVG}svg"
    assert (root.get("width"), root.get("height")) == ("1200", "630")
    texts = [element.text for element in root.iter(f"{SVG}text")]
    assert want.hanzi in texts and want.pinyin in texts
    assert root.find(f"{SVG}title").text == f"{want.hanzi} ({want.pinyin})"
    assert all(c.char in texts[-1] for c in want.chars)
    assert "quokka" not in response.get_data(as_text=True)


def test_stored_text_is_escaped_on_the_share_page_and_in_the_card(client, learner):
    """The page and card show what was stored when the name was chosen, so they must escape it whatever
    the tables held then (an ampersand, angle brackets, quotes)."""
    hostile = 'salt & "pepper" <script>alert(1)</script>'
    nickname = Nickname(
        user_id=the_user().id,
        hanzi="艾米",
        pinyin="ài mǐ",
        kind="sound",
        details={
            "chars": [
                {"char": "艾", "pinyin": "ài", "meaning": hostile},
                {"char": "米", "pinyin": "mǐ", "meaning": "rice"},
            ],
            "why": hostile,
            "story": hostile,
        },
        share_token="HostileToken",
        public=True,
        current=True,
        created_at=T0,
    )
    db.session.add(nickname)
    db.session.commit()
    page = client.get("/n/HostileToken").get_data(as_text=True)
    assert "<script>alert" not in page
    assert hostile in text_of(page)
    card = client.get("/n/HostileToken.svg")
    assert "<script>" not in card.get_data(as_text=True)
    root = parse_svg(card)
    assert any(
        element.text and 'salt & "pepper" <script>' in element.text for element in root.iter(f"{SVG}text")
    )


def test_making_the_page_private_hides_it_and_public_brings_it_back(client, auth, learner):
    assert pick(learner, "0").status_code == 303
    nickname = db.session.scalar(select(Nickname))
    token = nickname.share_token
    response = post(learner, f"/settings/nicknames/{nickname.id}/visibility", public="0")
    assert (response.status_code, response.headers["Location"]) == (303, "/settings/nicknames")
    mine = learner.get("/settings/nicknames").get_data(as_text=True)
    assert "private: its link shows nothing" in mine and ">Make public</button>" in mine
    auth.logout()
    assert client.get(f"/n/{token}").status_code == 404
    assert client.get(f"/n/{token}.svg").status_code == 404
    auth.login(USERNAME)
    assert learner.get(f"/n/{token}").status_code == 404  # private for its owner too
    post(learner, f"/settings/nicknames/{nickname.id}/visibility", public="1")
    auth.logout()
    assert client.get(f"/n/{token}").status_code == 200
    assert client.get(f"/n/{token}.svg").status_code == 200


def test_another_learner_cannot_change_the_page(client, auth, learner):
    assert pick(learner, "0").status_code == 303
    nickname = db.session.scalar(select(Nickname))
    auth.logout()
    auth.signup(username="intruder", email="intruder@example.com")
    for public in ("0", "1"):
        response = post(client, f"/settings/nicknames/{nickname.id}/visibility", public=public)
        assert response.status_code == 404
    assert post(client, "/settings/nicknames/99999999999999999999/visibility", public="0").status_code == 404
    db.session.expire_all()
    assert db.session.get(Nickname, nickname.id).public
    assert client.get(f"/n/{nickname.share_token}").status_code == 200
    assert "艾米莉" not in client.get("/settings/nicknames").get_data(as_text=True)


@pytest.mark.parametrize(("old_pages", "old_status"), [("keep", 200), ("retire", 404)])
def test_a_new_name_later_keeps_or_retires_the_old_page(client, auth, learner, old_pages, old_status):
    assert pick(learner, "0").status_code == 303
    old = db.session.scalar(select(Nickname))
    post(learner, "/welcome/skip", to="done")
    page = learner.get("/welcome/nickname").get_data(as_text=True)
    assert "A new Chinese name" in page and "Now you are 艾米莉 (ài mǐ lì)." in text_of(page)
    assert "welcome-steps" not in page and "Skip the whole welcome" not in page
    with_suggestions = learner.get(suggestions_url(name="Zoe")).get_data(as_text=True)
    assert 'name="old_pages" value="keep" checked' in with_suggestions
    assert 'name="old_pages" value="retire"' in with_suggestions
    new = expected(name="Zoe")[0]
    assert new.hanzi != old.hanzi
    response = pick(learner, "0", name="Zoe", old_pages=old_pages)
    assert (response.status_code, response.headers["Location"]) == (303, "/settings/nicknames")
    mine = learner.get("/settings/nicknames").get_data(as_text=True)
    assert header_name(mine) == new.hanzi
    assert the_user().onboarding_step == "done"
    db.session.expire_all()
    rows = {n.hanzi: (n.current, n.public) for n in db.session.scalars(select(Nickname))}
    assert rows == {old.hanzi: (False, old_pages == "keep"), new.hanzi: (True, True)}
    auth.logout()
    assert client.get(f"/n/{old.share_token}").status_code == old_status
    assert client.get(f"/n/{share_token_of(new.hanzi)}").status_code == 200


# --- who may do what --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/welcome/nickname", {"name": "Emily", "feel": "feminine", "pick": "0"}),
        ("/welcome/skip", {"to": "done"}),
        ("/welcome/goals", {"topics": "slang", "goal": "light"}),
        ("/settings/nicknames/1/visibility", {"public": "0"}),
    ],
)
def test_anonymous_posts_are_sent_to_log_in(client, auth, path, data):
    response = client.post(path, data={"csrf_token": auth.token()} | data)
    assert (response.status_code, response.headers["Location"]) == (303, "/login")
    assert nickname_count() == 0


@pytest.mark.parametrize(
    "path", ["/welcome", "/welcome/nickname?name=Emily", "/welcome/goals", "/settings/nicknames"]
)
def test_anonymous_visits_are_sent_to_log_in_and_back(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize(
    "path", ["/n/AAAAAAAAAAAA", "/n/AAAAAAAAAAAA.svg", "/n/" + "a" * 200, "/n/" + "a" * 200 + ".svg", "/n/"]
)
def test_unknown_share_pages_are_not_found(client, auth, learner, path):
    assert pick(learner, "0").status_code == 303  # a real page exists; these are not it
    auth.logout()
    response = client.get(path)
    assert response.status_code == 404
    assert "艾米莉" not in response.get_data(as_text=True)

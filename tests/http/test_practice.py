"""Typed pinyin and tone drills over HTTP: the answer box, POST /study/check (which writes nothing), the
proposed grade, the cards the deck loader makes, tone colours and ruby, and the speaker buttons."""

import re
from html import unescape

import pytest
from sqlalchemy import func, select

from learnapp.content.deckfile import parse_deck_text
from learnapp.content.entry import card_kinds_for
from learnapp.decks.loader import load_deck, load_directory
from learnapp.extensions import db
from learnapp.models import Card, CardState, Deck, Entry, ReviewLog, User
from tests.conftest import ROOT, csrf_from
from tests.factories import T0

HTMX = {"HX-Request": "true"}
DECK = "mandarin-first-words"
GRADES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
MARK = re.compile(
    r'<li class="syllable-mark mark-(\w+)">\s*<span class="expected"[^>]*>([^<]*)</span>\s*'
    r'<span class="typed"[^>]*>([^<]*)</span>\s*<span class="mark-status">([^<]*)</span>'
)


@pytest.fixture
def first_words(app):
    """Only the deck these tests use (loading every deck file takes seconds)."""
    report = load_directory(ROOT / "decks", T0, paths=[ROOT / "decks" / f"{DECK}.toml"])
    assert not report.failed


@pytest.fixture
def learner(client, auth, first_words):
    auth.signup()
    token = auth.token("/decks")
    response = client.post(f"/decks/{DECK}/enroll", data={"csrf_token": token})
    assert response.status_code == 303
    return client


def card_of(key: str, kind: str, slug: str = DECK) -> Card | None:
    return db.session.scalar(
        select(Card)
        .join(Card.entry)
        .join(Entry.deck)
        .where(Deck.slug == slug, Entry.key == key, Card.kind == kind)
    )


def state_of(card_id: int) -> CardState:
    return db.session.scalars(select(CardState).where(CardState.card_id == card_id)).one()


def to_front(key: str, kind: str) -> int:
    """Put the card at the head of the learner's new queue; its id."""
    card = card_of(key, kind)
    assert card is not None, f"no {kind} card for {key}"
    state_of(card.id).new_position = -1
    db.session.commit()
    return card.id


def shown_card(html: str) -> str | None:
    match = re.search(r'data-card-id="(\d+)"', html)
    return match.group(1) if match else None


def proposed(html: str) -> list[str]:
    """The labels of the grade buttons marked as the proposed grade."""
    return [GRADES[int(rating)] for rating in re.findall(r'class="grade grade-(\d) proposed"', html)]


def marks(html: str) -> list[tuple[str, str, str, str]]:
    return [
        (status, unescape(expected), unescape(typed), label)
        for status, expected, typed, label in MARK.findall(html)
    ]


def text_of(html: str) -> str:
    """What a reader sees: tags dropped, entities decoded, whitespace collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def log_count() -> int:
    return db.session.scalar(select(func.count()).select_from(ReviewLog))


def check(client, card_id, headers=HTMX, **fields):
    token = csrf_from(client.get("/study").get_data(as_text=True))
    data = {"csrf_token": token, "card_id": str(card_id), "session": ""} | fields
    return client.post("/study/check", data=data, headers=headers)


@pytest.fixture
def typed_card(learner):
    card_id = to_front("xiexie", "typed")
    assert shown_card(learner.get("/study").get_data(as_text=True)) == str(card_id)
    return card_id


@pytest.fixture
def tones_card(learner):
    card_id = to_front("xiexie", "tones")
    assert shown_card(learner.get("/study").get_data(as_text=True)) == str(card_id)
    return card_id


# The typed-pinyin card


def test_typed_card_front_has_the_hanzi_an_answer_box_and_no_answer(learner, typed_card):
    html = learner.get("/study").get_data(as_text=True)
    assert "Type the pinyin" in html
    assert re.search(r'<p class="headword headword-large" lang="zh-CN">谢谢</p>', html)
    form = re.search(r"<form class=\"answer-form answer-typed\"(.*?)</form>", html, re.S)
    assert form, "no answer form"
    assert 'action="/study/check"' in form.group(0)
    assert 'hx-post="/study/check"' in form.group(0)
    box = re.search(r"<input id=\"typed-answer\"[^>]*>", form.group(0)).group(0)
    assert 'name="typed"' in box
    assert 'autocomplete="off"' in box
    assert 'autocapitalize="none"' in box
    assert f'name="card_id" value="{typed_card}"' in form.group(0)
    # The front must not give the answer away: no pinyin of 谢谢, no grade buttons, no audio.
    visible = text_of(html) + " " + " ".join(re.findall(r'placeholder="([^"]*)"', html))
    assert "xiè" not in visible and "xie4" not in visible.lower()
    assert 'class="grades"' not in html
    assert "data-speak" not in html


def test_the_typed_hint_never_spells_the_answer_of_its_own_card(learner):
    """你好's card must not suggest "ni3hao3" as the way to type, any more than 谢谢's suggests xie4xie."""
    card_id = to_front("ni-hao", "typed")
    html = learner.get("/study").get_data(as_text=True)
    assert shown_card(html) == str(card_id)
    visible = text_of(html) + " " + " ".join(re.findall(r'placeholder="([^"]*)"', html))
    assert "nǐhǎo" not in visible and "ni3hao3" not in visible


@pytest.mark.parametrize("typed", ["xie4xie5", "xie4xie", "xièxie", "XIE4 XIE5", "xie4'xie", " xie4 xie0 "])
def test_a_right_answer_turns_the_card_and_proposes_good(learner, typed_card, typed):
    response = check(learner, typed_card, typed=typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html
    assert shown_card(html) == str(typed_card)
    assert 'data-side="back"' in html
    assert 'class="feedback feedback-right"' in html
    assert "✓ Right" in html
    assert "Right: xiè xie." in html
    assert proposed(html) == ["Good"]
    assert marks(html) == [("right", "xiè", "xiè", "right"), ("right", "xie", "xie", "right")]
    assert 'name="typed"' not in html  # the answer box is gone once checked
    assert "thank you" in html  # the back: the meaning


def test_a_wrong_tone_marks_the_syllable_and_proposes_again(learner, typed_card):
    html = check(learner, typed_card, typed="xie3xie").get_data(as_text=True)
    assert 'class="feedback feedback-wrong_tone"' in html
    assert "Tones not right" in html
    assert marks(html) == [("tone", "xiè", "xiě", "wrong tone"), ("right", "xie", "xie", "right")]
    assert "The first syllable is xiè with the 4th tone: you typed xiě (3rd tone)." in html
    assert proposed(html) == ["Again"]
    assert "✓ Right" not in html


def test_a_wrong_syllable_is_marked_and_the_answer_given(learner, typed_card):
    html = check(learner, typed_card, typed="xia4xie").get_data(as_text=True)
    assert 'class="feedback feedback-wrong"' in html
    assert marks(html)[0] == ("syllable", "xiè", "xià", "wrong syllable")
    assert "The answer is xiè xie." in html
    assert proposed(html) == ["Again"]


@pytest.mark.parametrize(
    ("typed", "headline", "message"),
    [
        ("", "No answer", "Nothing typed: the answer is below. Type the pinyin, for example"),
        ("x" * 5000, "✗ That isn’t pinyin", "That is far too long."),
        ("1234", "✗ That isn’t pinyin", "Type each syllable&#39;s letters as well as its tone number"),
        ("谢谢", "✗ That isn’t pinyin", "Type the pinyin, not the characters"),
        ("😀🙏", "✗ That isn’t pinyin", "Type the pinyin in Latin letters"),
        ("<script>alert(1)</script>", "✗ That isn’t pinyin", "That looks like HTML."),
    ],
    ids=["empty", "5000-chars", "digits", "hanzi", "emoji", "script"],
)
def test_input_that_is_not_pinyin_is_not_right_with_a_helpful_message(
    learner, typed_card, typed, headline, message
):
    response = check(learner, typed_card, typed=typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<p class="feedback-verdict">{headline}</p>' in html
    assert "✗ Not right" not in html
    assert message in html
    assert proposed(html) == ["Again"]
    assert marks(html) == []  # no syllable was typed: nothing to mark one by one
    assert "<script>alert" not in html
    assert "x" * 300 not in html  # the long answer is not echoed back
    assert log_count() == 0


def test_an_empty_answer_is_no_answer_not_a_wrong_one(learner, typed_card):
    html = check(learner, typed_card, typed="   ").get_data(as_text=True)
    assert 'class="feedback feedback-empty"' in html
    assert "feedback-wrong" not in html
    assert "No answer" in html and "✗" not in html
    assert "Nothing to check" in html


def test_extra_text_and_unknown_syllables_have_their_own_plain_messages(learner, typed_card):
    html = check(learner, typed_card, typed="xie4xie ni3").get_data(as_text=True)
    assert "✗ More than the answer" in html
    assert (
        "Every syllable of the word is there, but you typed more than the word has: the extra syllable nǐ."
        in html
    )
    html = check(learner, typed_card, typed="xie4 qqq").get_data(as_text=True)
    assert "✗ Not a pinyin syllable" in html
    assert "“qqq” is not a pinyin syllable." in html


def test_what_the_learner_typed_is_escaped_when_echoed(learner, typed_card):
    html = check(learner, typed_card, typed='xie4 <xie "onx=1').get_data(as_text=True)
    assert "✗ Not a pinyin syllable" in html
    assert "Leave out &lt;" in html
    assert "<xie" not in html


def test_checking_writes_nothing(learner, typed_card):
    before = state_of(typed_card)
    snapshot = (before.version, before.state, before.reps, before.due, before.new_position)
    for typed in ("xie4xie5", "xie3xie", "", "谢谢"):
        html = check(learner, typed_card, typed=typed).get_data(as_text=True)
        assert '<b data-count="new">20</b>' in html
        assert '<span data-count="done">0</span>' in html
    db.session.expire_all()
    after = state_of(typed_card)
    assert (after.version, after.state, after.reps, after.due, after.new_position) == snapshot
    assert log_count() == 0
    # The card is still the one to study, front side.
    page = learner.get("/study").get_data(as_text=True)
    assert shown_card(page) == str(typed_card)
    assert 'name="typed"' in page


@pytest.mark.parametrize("rating", ["3", "1"])
def test_the_grade_counts_only_when_pressed(learner, typed_card, rating):
    """Pressing the proposed Good, or overruling it with Again, is an ordinary answer."""
    back = check(learner, typed_card, typed="xie4xie").get_data(as_text=True)
    assert log_count() == 0
    version = re.search(r'name="version" value="(\d+)"', back).group(1)
    response = learner.post(
        "/study/answer",
        data={
            "csrf_token": csrf_from(back),
            "card_id": str(typed_card),
            "version": version,
            "rating": rating,
            "shown_at": "0",
            "session": "",
        },
        headers=HTMX,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert shown_card(html) != str(typed_card)
    assert '<span data-count="done">1</span>' in html
    logs = db.session.scalars(select(ReviewLog)).all()
    assert [(log.card_id, log.rating) for log in logs] == [(typed_card, int(rating))]
    db.session.expire_all()
    assert state_of(typed_card).state == "learning"


def test_a_stale_or_unknown_card_gets_the_next_card_with_a_message(learner, typed_card):
    not_shown = db.session.scalars(select(CardState).order_by(CardState.new_position.desc())).first()
    for card_id in (str(not_shown.card_id), "999999", "abc", ""):
        response = check(learner, card_id, typed="xie4xie")
        html = response.get_data(as_text=True)
        assert response.status_code == 200, card_id
        assert "That card isn&#39;t due any more. Here is your next one." in html
        assert shown_card(html) == str(typed_card)
        assert 'data-side="front"' in html
        assert "feedback" not in html
    assert log_count() == 0


def test_check_needs_login(client, first_words):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    plain = client.post("/study/check", data={"csrf_token": token, "card_id": "1", "typed": "xie4xie"})
    assert plain.status_code == 303
    assert plain.headers["Location"] == "/login"  # not back to a POST-only address
    htmx = client.post(
        "/study/check", data={"csrf_token": token, "card_id": "1", "typed": "xie4xie"}, headers=HTMX
    )
    assert htmx.status_code == 401
    assert htmx.headers["HX-Redirect"].startswith("/login")


def test_check_without_htmx_returns_the_whole_page(learner, typed_card):
    response = check(learner, typed_card, headers={}, typed="xie4xie5")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" in html
    assert 'class="feedback feedback-right"' in html
    assert proposed(html) == ["Good"]
    assert "HX-Request" in response.headers["Vary"]


def test_check_without_csrf_is_refused(learner, typed_card):
    response = learner.post("/study/check", data={"card_id": str(typed_card), "typed": "xie4xie"})
    assert response.status_code == 400
    assert log_count() == 0


# The tone drill


def test_tones_card_front_has_two_tone_groups_and_a_speaker(learner, tones_card):
    html = learner.get("/study").get_data(as_text=True)
    assert "Which tones?" in html
    form = re.search(r"<form class=\"answer-form answer-tones\"(.*?)</form>", html, re.S).group(0)
    assert 'action="/study/check"' in form
    for group in ("tone1", "tone2"):
        assert re.findall(rf'type="radio" name="{group}" value="(\d)"', form) == ["1", "2", "3", "4", "5"]
    assert "First syllable" in form and "Second syllable" in form
    assert re.search(r'<button[^>]*data-speak="谢谢"[^>]*data-hotkey="p"', html)
    assert "xiè" not in text_of(html)


@pytest.mark.parametrize(
    ("tones", "verdict", "grade"),
    [(("4", "5"), "right", "Good"), (("4", "0"), "wrong", "Again"), (("4", "3"), "wrong_tone", "Again")],
)
def test_tones_are_checked(learner, tones_card, tones, verdict, grade):
    html = check(learner, tones_card, tone1=tones[0], tone2=tones[1]).get_data(as_text=True)
    assert f'class="feedback feedback-{verdict}"' in html
    assert proposed(html) == [grade]
    assert "谢谢 is <strong>4-5</strong>" in html
    if verdict == "right":
        assert "✓ Right" in html
    if verdict == "wrong_tone":
        assert "you chose 4th tone + 3rd tone" in html
    assert log_count() == 0


@pytest.mark.parametrize(
    "fields", [{}, {"tone1": "4"}, {"tone2": "5"}, {"tone1": "9", "tone2": "5"}, {"tone1": "4", "tone2": "x"}]
)
def test_missing_or_impossible_tones_ask_for_two(learner, tones_card, fields):
    response = check(learner, tones_card, **fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "✗ Not right" in html
    assert "Pick two tones" in html
    assert proposed(html) == ["Again"]
    assert log_count() == 0


@pytest.mark.parametrize(("tones", "right"), [(("3", "3"), True), (("2", "3"), True), (("2", "2"), False)])
def test_a_sandhi_word_accepts_the_written_and_the_spoken_tones(learner, tones, right):
    card_id = to_front("ni-hao", "tones")
    html = check(learner, card_id, tone1=tones[0], tone2=tones[1]).get_data(as_text=True)
    assert ('class="feedback feedback-right"' in html) is right
    assert proposed(html) == (["Good"] if right else ["Again"])
    assert "你好 is <strong>3-3</strong> (said <strong>2-3</strong>)" in html


# The deck loader


def test_the_loader_makes_typed_and_tones_cards_only_for_words_that_suit_them(learner):
    deck = db.session.scalar(select(Deck).where(Deck.slug == DECK))
    entries = db.session.scalars(select(Entry).where(Entry.deck_id == deck.id, ~Entry.retired)).all()
    made = {
        (entry_id, kind)
        for entry_id, kind in db.session.execute(
            select(Card.entry_id, Card.kind).where(Card.deck_id == deck.id, ~Card.retired)
        )
    }
    wanted = {
        (entry.id, kind)
        for entry in entries
        for kind in card_kinds_for(deck.card_kinds, entry.headword, entry.pinyin)
    }
    assert made == wanted
    by_kind = {kind: {e.headword for e in entries if (e.id, kind) in made} for kind in ("typed", "tones")}
    assert by_kind["typed"] == {e.headword for e in entries}  # every word here has hanzi and pinyin
    assert by_kind["tones"] == {
        "你好",
        "谢谢",
        "再见",
        "请问",
        "不是",
        "好的",
        "您好",
        "晚安",
        "欢迎",
        "加油",
    }
    assert "不客气" in by_kind["typed"] and "不客气" not in by_kind["tones"]
    assert card_of("bu-keqi", "tones") is None or card_of("bu-keqi", "tones").retired
    # The learner who enrolled has a state for each of them.
    states = db.session.scalar(
        select(func.count()).select_from(CardState).where(CardState.deck_id == deck.id)
    )
    assert states == len(made)


def test_entries_without_hanzi_or_pinyin_get_neither(app):
    text = """
[deck]
slug = "mixed"
title = "Mixed"
card_kinds = ["recognize", "typed", "tones"]

[[entries]]
id = "yyds"
headword = "yyds"
meaning = "the greatest of all time"

[[entries]]
id = "pray"
headword = "🙏"
meaning = "please, thank you"

[[entries]]
id = "jiayou"
headword = "加油"
pinyin = "jiā yóu"
meaning = "go for it"

[[entries]]
id = "bukeqi"
headword = "不客气"
pinyin = "bù kè qi"
meaning = "you're welcome"
"""
    load_deck(parse_deck_text(text, "mixed.toml"), T0)
    db.session.commit()
    kinds = {
        key: sorted(
            kind for (kind,) in db.session.execute(select(Card.kind).join(Card.entry).where(Entry.key == key))
        )
        for key in ("yyds", "pray", "jiayou", "bukeqi")
    }
    assert kinds == {
        "yyds": ["recognize"],
        "pray": ["recognize"],
        "jiayou": ["recognize", "tones", "typed"],
        "bukeqi": ["recognize", "typed"],
    }


# Display: ruby, tone colours, the spoken form


def set_preferences(**preferences) -> None:
    user = db.session.scalar(select(User).where(User.username == "mei"))
    user.preferences = preferences
    db.session.commit()


def back_page(client, card_id) -> str:
    return client.get(f"/study?card={card_id}&side=back").get_data(as_text=True)


def body_classes(html: str) -> set[str]:
    return set(re.search(r'<body class="([^"]*)"', html).group(1).split())


def test_ruby_preference_shows_pinyin_over_the_characters(learner, typed_card):
    html = back_page(learner, typed_card)
    assert "ruby-on" not in body_classes(html)
    set_preferences(ruby=True)
    html = back_page(learner, typed_card)
    assert "ruby-on" in body_classes(html)
    assert '<ruby class="tone4">谢<rp>(</rp><rt>xiè</rt><rp>)</rp></ruby>' in html
    assert '<ruby class="tone5">谢<rp>(</rp><rt>xie</rt><rp>)</rp></ruby>' in html
    # Not on the front of a typed card: that would be the answer.
    front = learner.get("/study").get_data(as_text=True)
    assert "<rt>" not in front


def test_tone_colours_follow_the_scheme(learner, typed_card):
    html = back_page(learner, typed_card)
    assert "tones-pleco" in body_classes(html)
    pinyin = re.search(r'<p class="pinyin"[^>]*>(.*?)</p>', html, re.S).group(1)
    assert '<span class="tone4">xiè</span> <span class="tone5">xie</span>' in pinyin
    set_preferences(tone_scheme="off")
    html = back_page(learner, typed_card)
    assert "tones-off" in body_classes(html)
    assert "tones-pleco" not in body_classes(html)


def test_the_spoken_form_of_a_sandhi_word_is_shown(learner):
    card_id = to_front("ni-hao", "typed")
    html = back_page(learner, card_id)
    pinyin = re.search(r'<p class="pinyin"[^>]*>(.*?)</p>', html, re.S).group(1)
    assert text_of(pinyin) == "nǐ hǎo said ní hǎo"
    assert '<span class="tone2">ní</span>' in pinyin
    wiki = learner.get(f"/wiki/{DECK}/ni-hao").get_data(as_text=True)
    assert "said ní hǎo" in text_of(wiki)
    xiexie = learner.get(f"/wiki/{DECK}/xiexie").get_data(as_text=True)
    assert "said" not in text_of(re.search(r'<p class="pinyin"[^>]*>(.*?)</p>', xiexie, re.S).group(1))


def test_a_right_spoken_form_answer_says_how_it_is_written(learner):
    card_id = to_front("ni-hao", "typed")
    html = check(learner, card_id, typed="ni2hao3").get_data(as_text=True)
    assert 'class="feedback feedback-right"' in html
    assert "Right: ní hǎo, as it is said (the dictionary writes nǐ hǎo)." in html
    assert proposed(html) == ["Good"]


# Audio


def speakers(html: str) -> list[str]:
    return re.findall(r"<button[^>]*data-speak=[^>]*>", html)


def test_speaker_buttons_say_the_headword_with_a_slow_variant(learner, typed_card):
    html = back_page(learner, typed_card)
    buttons = speakers(html)
    assert len(buttons) == 2
    assert all('data-speak="谢谢"' in button for button in buttons)
    assert sum('data-rate="slow"' in button for button in buttons) == 1
    assert html.count('data-hotkey="p"') == 1
    assert 'data-hotkey="p"' in next(b for b in buttons if "slow" not in b)

    wiki = learner.get(f"/wiki/{DECK}/xiexie").get_data(as_text=True)
    buttons = speakers(wiki)
    assert len(buttons) == 2 and all('data-speak="谢谢"' in button for button in buttons)
    assert sum('data-rate="slow"' in button for button in buttons) == 1


@pytest.mark.parametrize(
    ("key", "kind"), [("xiexie", "tones"), ("xiexie", "recognize"), ("ni-hao", "recall")]
)
def test_every_card_back_has_exactly_one_listen_hotkey(learner, key, kind):
    card_id = to_front(key, kind)
    html = back_page(learner, card_id)
    assert shown_card(html) == str(card_id)
    assert html.count('data-hotkey="p"') == 1
    assert len(speakers(html)) == 2

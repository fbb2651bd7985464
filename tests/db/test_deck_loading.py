"""Loading deck files into a real database: idempotent upserts keyed by (deck slug, entry id), learners keep
their progress through edits, retirements and restores, broken files are rejected whole with file, line and
field, and the `decks load` / `decks validate` commands report what they did."""

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from learnapp.content.deckfile import DeckFileError, Problem, parse_deck_file, parse_deck_text
from learnapp.decks.loader import load_deck, load_directory
from learnapp.decks.service import enroll
from learnapp.extensions import db
from learnapp.models import Card, CardState, Deck, Entry, ReviewLog
from learnapp.srs import Rating
from learnapp.study import service
from tests.factories import T0, deck_text, make_user

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "decks").glob("*.toml"))
SLUG = "test-deck"
BOTH_KINDS = '["recognize", "recall"]'


def deck(*entries, slug=SLUG, kinds=BOTH_KINDS):
    """A deck file's text from (id, headword, meaning) triples, in file order."""
    parts = [f'[deck]\nslug = "{slug}"\ntitle = "Test deck"\ncard_kinds = {kinds}\n']
    for key, headword, meaning in entries:
        parts.append(f'[[entries]]\nid = "{key}"\nheadword = "{headword}"\nmeaning = "{meaning}"\n')
    return "\n".join(parts)


E1 = ("e1", "词一", "word one")
E2 = ("e2", "词二", "word two")
E3 = ("e3", "词三", "word three")


def load(text, now=T0, path="test-deck.toml"):
    report = load_deck(parse_deck_text(text, path), now)
    db.session.commit()
    return report


def outcome(report):
    return (report.created, report.updated, report.unchanged, report.retired, report.restored)


def row_counts():
    return {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Deck, Entry, Card, CardState, ReviewLog)
    }


def entry(key, slug=SLUG):
    return db.session.scalar(select(Entry).join(Deck).where(Deck.slug == slug, Entry.key == key))


def card_ids(key):
    return sorted(db.session.scalars(select(Card.id).where(Card.entry_id == entry(key).id)))


def state(user, card_id):
    return db.session.get(CardState, (user.id, card_id))


def review_logs(user):
    return [
        (log.id, log.card_id, log.rating, log.state_before, log.state_after)
        for log in db.session.scalars(
            select(ReviewLog).where(ReviewLog.user_id == user.id).order_by(ReviewLog.id)
        )
    ]


def answer_next(user, now=T0, rating=Rating.GOOD):
    """Answer the card the study page shows now; return its card id and entry key."""
    view = service.today(user, now, enable_fuzz=False)
    assert view.card is not None, "expected a card to study"
    card_id, key = view.card.id, view.entry.key
    service.answer(user, card_id, rating, view.version, now, enable_fuzz=False)
    return card_id, key


def line_of(text, starts_with, occurrence=1):
    """1-based number of the `occurrence`-th line that starts with `starts_with`."""
    numbers = [n for n, line in enumerate(text.splitlines(), 1) if line.startswith(starts_with)]
    return numbers[occurrence - 1]


def new_queue(user):
    """The learner's not-yet-seen cards in the order they will be introduced: (entry key, card kind)."""
    return [
        (key, kind)
        for key, kind in db.session.execute(
            select(Entry.key, Card.kind)
            .join(Card, Card.entry_id == Entry.id)
            .join(CardState, CardState.card_id == Card.id)
            .where(CardState.user_id == user.id, CardState.state == "new", CardState.active)
            .order_by(CardState.new_position, CardState.card_id)
        )
    ]


@pytest.fixture
def learner(app):
    """A three-entry deck with two card kinds, and a learner who answered its first card (e1 recognize)."""
    load(deck(E1, E2, E3))
    user = make_user()
    enroll(user, SLUG, T0)
    card_id, key = answer_next(user)
    assert key == "e1"
    user.first_card_id = card_id
    return user


# 1. Idempotence


def test_loading_the_same_file_twice_creates_then_reports_everything_unchanged(app):
    text = deck_text(entries=4, kinds=BOTH_KINDS)
    user = make_user()
    first = load(text)
    enroll(user, SLUG, T0)
    before = row_counts()
    ids_before = sorted(db.session.scalars(select(Card.id)))
    assert outcome(first) == (4, 0, 0, 0, 0)
    assert before == {"decks": 1, "entries": 4, "cards": 8, "card_states": 8, "review_logs": 0}

    second = load(text, now=T0 + timedelta(days=1))

    assert outcome(second) == (0, 0, 4, 0, 0)
    assert row_counts() == before
    assert sorted(db.session.scalars(select(Card.id))) == ids_before
    # An unchanged entry is not touched: its timestamp is the first load's.
    assert entry("e1").updated_at == T0


# 2. Edits keep ids and progress


def test_an_edited_entry_is_updated_in_place_and_the_learner_keeps_progress(learner):
    entry_id, cards = entry("e1").id, card_ids("e1")
    answered = state(learner, learner.first_card_id)
    kept = (answered.reps, answered.state, answered.due, answered.stability, answered.difficulty)
    logs = review_logs(learner)
    counts = row_counts()
    assert kept[:2] == (1, "learning")
    assert logs == [(logs[0][0], learner.first_card_id, int(Rating.GOOD), "new", "learning")]

    later = T0 + timedelta(hours=1)
    report = load(deck(("e1", "词一", "word one, edited"), E2, E3), now=later)

    assert outcome(report) == (0, 1, 2, 0, 0)
    edited = entry("e1")
    assert (edited.id, edited.meaning, edited.updated_at, edited.retired) == (
        entry_id,
        "word one, edited",
        later,
        False,
    )
    assert card_ids("e1") == cards
    assert entry("e2").updated_at == T0
    answered = state(learner, learner.first_card_id)
    assert (answered.reps, answered.state, answered.due, answered.stability, answered.difficulty) == kept
    assert answered.active is True
    assert review_logs(learner) == logs
    assert row_counts() == counts


# 3. Retire and restore


def test_an_entry_removed_from_the_file_is_retired_with_its_cards_and_history_kept(learner):
    cards = card_ids("e1")
    logs = review_logs(learner)
    assert service.today(learner, T0, enable_fuzz=False).counts.learning_ahead == 1

    report = load(deck(E2, E3), now=T0 + timedelta(minutes=1))

    assert outcome(report) == (0, 2, 0, 1, 0)  # e2 and e3 moved up one place
    assert entry("e1").retired is True
    assert entry("e2").retired is False
    assert db.session.scalars(select(Card.retired).where(Card.id.in_(cards))).all() == [True, True]
    assert [state(learner, card).active for card in cards] == [False, False]
    answered = state(learner, learner.first_card_id)
    assert (answered.reps, answered.state) == (1, "learning")
    assert review_logs(learner) == logs
    # The retired card has left the learner's queue; e1's recall card is no longer waiting either.
    view = service.today(learner, T0 + timedelta(minutes=1), enable_fuzz=False)
    assert (view.counts.learning_due, view.counts.learning_ahead) == (0, 0)
    assert ("e1", "recall") not in new_queue(learner)
    assert new_queue(learner) == [
        ("e2", "recognize"),
        ("e3", "recognize"),
        ("e2", "recall"),
        ("e3", "recall"),
    ]


def test_a_retired_entry_that_comes_back_is_restored_with_progress_intact(learner):
    cards = card_ids("e1")
    logs = review_logs(learner)
    load(deck(E2, E3), now=T0 + timedelta(minutes=1))
    again = load(deck(E2, E3), now=T0 + timedelta(minutes=2))
    assert outcome(again) == (0, 0, 2, 0, 0)  # already retired: not retired twice

    report = load(deck(E1, E2, E3), now=T0 + timedelta(minutes=3))

    assert outcome(report) == (0, 2, 0, 0, 1)  # e2 and e3 back in their old places
    restored = entry("e1")
    assert (restored.retired, restored.updated_at) == (False, T0 + timedelta(minutes=3))
    assert card_ids("e1") == cards
    assert db.session.scalars(select(Card.retired).where(Card.id.in_(cards))).all() == [False, False]
    assert [state(learner, card).active for card in cards] == [True, True]
    answered = state(learner, learner.first_card_id)
    assert (answered.reps, answered.state) == (1, "learning")
    assert review_logs(learner) == logs
    assert row_counts()["card_states"] == 6
    view = service.today(learner, T0 + timedelta(minutes=3), enable_fuzz=False)
    assert view.counts.learning_ahead == 1


# 4. Broken files are rejected whole, naming file, line and field


def test_an_entry_missing_its_meaning_is_named_with_the_line_of_its_header(tmp_path):
    text = deck(E1, E2) + '\n[[entries]]\nid = "e3"\nheadword = "词三"\n'
    with pytest.raises(DeckFileError) as raised:
        parse_deck_text(text, "broken.toml")
    header = line_of(text, "[[entries]]", 3)
    assert header == 16
    assert raised.value.problems == [Problem("broken.toml", 16, "entries[3].meaning", "required")]
    assert str(raised.value) == "broken.toml:16: entries[3].meaning: required"


def test_a_broken_file_writes_nothing(app, tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text(deck(E1, E2) + '\n[[entries]]\nid = "e3"\nheadword = "词三"\n', encoding="utf-8")

    report = load_directory(tmp_path, T0)

    assert report.loaded == []
    assert [error.problems for error in report.failed] == [
        [Problem(str(path), 16, "entries[3].meaning", "required")]
    ]
    assert row_counts() == {"decks": 0, "entries": 0, "cards": 0, "card_states": 0, "review_logs": 0}


def test_a_broken_edit_of_a_loaded_deck_leaves_the_loaded_deck_as_it_was(learner, tmp_path):
    counts = row_counts()
    path = tmp_path / "test-deck.toml"
    # e1 edited and e2 removed, but e3 has no meaning: none of it may be applied.
    path.write_text(
        deck(("e1", "词一", "word one, edited")) + '\n[[entries]]\nid = "e3"\nheadword = "词三"\n'
    )

    report = load_directory(tmp_path, T0 + timedelta(hours=1))

    assert report.loaded == []
    assert [p.field for p in report.failed[0].problems] == ["entries[2].meaning"]
    assert entry("e1").meaning == "word one"
    assert entry("e2").retired is False
    assert row_counts() == counts


def test_a_toml_syntax_error_is_reported_with_its_line():
    text = deck(E1, E2).replace('meaning = "word two"', 'meaning = "word two')
    line = line_of(text, 'meaning = "word two')
    assert line == 14
    with pytest.raises(DeckFileError) as raised:
        parse_deck_text(text, "syntax.toml")
    (problem,) = raised.value.problems
    assert (problem.path, problem.line, problem.field) == ("syntax.toml", 14, "syntax")
    assert problem.message.startswith("not valid TOML: ")
    assert "(at line" not in problem.message


def test_a_duplicate_id_is_reported_at_the_duplicates_id_line():
    text = deck(E1, E2, ("e2", "词三", "word three"))
    line = line_of(text, 'id = "e2"', 2)
    assert line == 17
    with pytest.raises(DeckFileError) as raised:
        parse_deck_text(text, "dup.toml")
    assert raised.value.problems == [
        Problem("dup.toml", 17, "entries[3].id", "duplicate id 'e2' (first at entry 2)")
    ]


def test_unknown_keys_are_reported_at_their_lines():
    text = deck(E1, E2).replace('title = "Test deck"\n', 'title = "Test deck"\ncatgory = "slang"\n')
    text = text.replace('meaning = "word two"\n', 'meaning = "word two"\nnote = "a typo for notes"\n')
    assert (line_of(text, "catgory"), line_of(text, "note ")) == (4, 16)
    with pytest.raises(DeckFileError) as raised:
        parse_deck_text(text, "typo.toml")
    assert raised.value.problems == [
        Problem("typo.toml", 4, "deck.catgory", "unknown key"),
        Problem("typo.toml", 16, "entries[2].note", "unknown key"),
    ]


def test_a_file_that_is_not_utf8_is_reported_by_parse_deck_file(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes(deck(("e1", "cafe", "coffee")).replace("cafe", "caf\xe9").encode("latin-1"))
    with pytest.raises(DeckFileError) as raised:
        parse_deck_file(path)
    assert raised.value.problems == [
        Problem(str(path), None, "encoding", "not UTF-8 (invalid continuation byte)")
    ]


# 5. A directory with a good and a broken file


def test_load_directory_loads_the_good_file_and_rejects_the_broken_one(app, tmp_path):
    broken = tmp_path / "a-broken.toml"  # sorts first: a failure must not stop the files after it
    broken.write_text(deck(E1, slug="broken-deck") + "\n[[entries]]\nid = 1\n", encoding="utf-8")
    (tmp_path / "b-good.toml").write_text(deck(E1, E2, E3, slug="good-deck"), encoding="utf-8")

    report = load_directory(tmp_path, T0)

    assert [(r.slug, outcome(r)) for r in report.loaded] == [("good-deck", (3, 0, 0, 0, 0))]
    assert len(report.failed) == 1
    assert {p.path for p in report.failed[0].problems} == {str(broken)}
    assert [(p.line, p.field) for p in report.failed[0].problems] == [
        (12, "entries[2].id"),
        (11, "entries[2].headword"),
        (11, "entries[2].meaning"),
    ]
    assert db.session.scalars(select(Deck.slug)).all() == ["good-deck"]
    assert db.session.scalar(select(Deck.source_file)) == "b-good.toml"
    assert row_counts()["entries"] == 3
    assert row_counts()["cards"] == 6


# 6. Pinyin filled in at load time


def test_missing_pinyin_is_filled_in_at_load_time(app):
    text = (
        deck(("xiexie", "谢谢", "thank you"), ("smile", "🙂", "a polite smile"))
        + '\n[[entries]]\nid = "nihao"\nheadword = "你好"\npinyin = "nǐ  hǎo"\nmeaning = "hello"\n'
    )
    load(text)
    assert [(e.key, e.pinyin) for e in db.session.scalars(select(Entry).order_by(Entry.position))] == [
        ("xiexie", "xiè xie"),
        ("smile", ""),
        ("nihao", "nǐ hǎo"),
    ]
    # The filled-in pinyin is stable: loading again changes nothing.
    assert outcome(load(text, now=T0 + timedelta(days=1))) == (0, 0, 3, 0, 0)


# 7. The command line


def test_decks_validate_accepts_the_shipped_decks_and_writes_nothing(runner):
    result = runner.invoke(args=["decks", "validate"])
    assert result.exit_code == 0, result.output
    expected = [
        f"ok {path.name}: {path.read_text(encoding='utf-8').count('[[entries]]')} entries" for path in SHIPPED
    ]
    assert len(expected) == 16  # 10 curated decks and HSK 1-6
    assert result.stdout.splitlines() == [*expected, "ok overrides.toml: the HSK override table"]
    assert row_counts()["decks"] == 0


def dictionary_deck(*rows: str) -> str:
    """A deck file in the hsk category, which `decks validate` does not hold to the curated fields."""
    return deck(E1).replace('title = "Test deck"', 'title = "Test deck"\ncategory = "hsk"') + "".join(rows)


OVERRIDES_OK = "ok overrides.toml: the HSK override table\n"


def test_decks_validate_fails_a_reading_that_contradicts_cedict_unless_a_reason_is_given(runner, tmp_path):
    path = tmp_path / "cities.toml"
    row = '\n[[entries]]\nid = "cq"\nheadword = "重庆"\npinyin = "zhòng qìng"\nmeaning = "Chongqing"\n'
    path.write_text(dictionary_deck(row), encoding="utf-8")
    line = path.read_text(encoding="utf-8").split("\n").index('pinyin = "zhòng qìng"') + 1

    result = runner.invoke(args=["decks", "validate", "--dir", str(tmp_path)])

    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}:{line}: pinyin: cq: 重庆 is written 'zhòng qìng'")
    assert result.stdout == OVERRIDES_OK  # no deck is ok; the HSK table is checked on its own

    path.write_text(dictionary_deck(row, 'reading_note = "Spelt this way on purpose."\n'), encoding="utf-8")
    result = runner.invoke(args=["decks", "validate", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "ok cities.toml: 2 entries\n" + OVERRIDES_OK


def test_decks_validate_fails_a_misspelt_label_tag(runner, tmp_path):
    path = tmp_path / "slang.toml"
    path.write_text(
        dictionary_deck().replace('meaning = "word one"', 'meaning = "word one"\ntags = ["Vulgar"]'), "utf-8"
    )
    line = path.read_text(encoding="utf-8").split("\n").index('tags = ["Vulgar"]') + 1

    result = runner.invoke(args=["decks", "validate", "--dir", str(tmp_path)])

    assert result.exit_code == 1
    assert result.stderr == (
        f"{path}:{line}: tags: e1: 'Vulgar' is not a label tag; write 'vulgar' "
        "(the labels are dated, vulgar, sensitive)\n"
    )


def test_decks_load_rejects_a_broken_file_with_its_name_and_line(runner, tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text(deck(E1, E2) + '\n[[entries]]\nid = "e3"\nheadword = "词三"\n', encoding="utf-8")
    (tmp_path / "good.toml").write_text(deck(E1, slug="good-deck"), encoding="utf-8")

    result = runner.invoke(args=["decks", "load", "--dir", str(tmp_path)])

    assert result.exit_code == 1
    assert result.stdout == "good-deck: 1 new, 0 updated, 0 unchanged, 0 retired, 0 restored\n"
    assert result.stderr == f"rejected:\n{path}:16: entries[3].meaning: required\n"
    assert db.session.scalars(select(Deck.slug)).all() == ["good-deck"]


def test_decks_load_twice_reports_the_shipped_decks_unchanged(runner):
    decks = [parse_deck_file(path) for path in SHIPPED]
    first = runner.invoke(args=["decks", "load"])
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines() == [
        f"{d.slug}: {len(d.entries)} new, 0 updated, 0 unchanged, 0 retired, 0 restored" for d in decks
    ]
    counts = row_counts()

    second = runner.invoke(args=["decks", "load"])

    assert second.exit_code == 0, second.output
    assert second.stdout.splitlines() == [
        f"{d.slug}: 0 new, 0 updated, {len(d.entries)} unchanged, 0 retired, 0 restored" for d in decks
    ]
    assert row_counts() == counts
    assert counts["entries"] == sum(len(d.entries) for d in decks)


# 8. Reordering


def test_reordering_entries_reorders_the_cards_the_learner_has_not_seen(learner):
    assert new_queue(learner) == [
        ("e2", "recognize"),
        ("e3", "recognize"),
        ("e1", "recall"),
        ("e2", "recall"),
        ("e3", "recall"),
    ]
    seen_position = state(learner, learner.first_card_id).new_position

    report = load(deck(E3, E2, E1), now=T0 + timedelta(minutes=1))

    assert outcome(report) == (0, 2, 1, 0, 0)  # e2 kept its place
    assert [(e.key, e.position) for e in db.session.scalars(select(Entry).order_by(Entry.position))] == [
        ("e3", 1),
        ("e2", 2),
        ("e1", 3),
    ]
    assert new_queue(learner) == [
        ("e3", "recognize"),
        ("e2", "recognize"),
        ("e3", "recall"),
        ("e2", "recall"),
        ("e1", "recall"),
    ]
    seen = state(learner, learner.first_card_id)
    assert (seen.new_position, seen.state, seen.reps) == (seen_position, "learning", 1)
    _, key = answer_next(learner, T0 + timedelta(minutes=1))
    assert key == "e3"


# Bugs found while writing these tests (fixed since): line numbers after U+2028, column lengths, and
# two files with one slug.


def test_a_line_separator_inside_a_string_does_not_shift_the_reported_line():
    text = deck(E1).replace('meaning = "word one"', 'meaning = "word one"\nnotes = "one\u2028two"')
    text += '\n[[entries]]\nid = "e2"\nheadword = "词二"\n'
    header = text.split("\n").index("[[entries]]", 7) + 1  # TOML counts lines by "\n" only
    assert header == 12
    with pytest.raises(DeckFileError) as raised:
        parse_deck_text(text, "sep.toml")
    assert raised.value.problems == [Problem("sep.toml", 12, "entries[2].meaning", "required")]


def test_a_title_too_long_for_the_database_is_rejected_with_its_line(app, tmp_path):
    path = tmp_path / "long.toml"
    path.write_text(deck(E1).replace('title = "Test deck"', f'title = "{"T" * 130}"'), encoding="utf-8")

    report = load_directory(tmp_path, T0)

    assert report.loaded == []
    assert [(p.line, p.field) for p in report.failed[0].problems] == [(3, "deck.title")]
    assert row_counts()["decks"] == 0


def test_two_files_with_the_same_slug_are_not_both_loaded(app, tmp_path):
    (tmp_path / "a.toml").write_text(deck(E1, E2), encoding="utf-8")
    (tmp_path / "b.toml").write_text(deck(E3), encoding="utf-8")

    report = load_directory(tmp_path, T0)

    assert [r.slug for r in report.loaded] == [SLUG]
    assert [p.field for p in report.failed[0].problems] == ["deck.slug"]
    assert [e.key for e in db.session.scalars(select(Entry).where(~Entry.retired))] == ["e1", "e2"]


def test_decks_validate_fails_on_an_override_row_without_a_reason_naming_file_and_line(runner, tmp_path):
    table = tmp_path / "overrides.toml"
    table.write_text('# HSK overrides\n\n[[override]]\nword = "雨"\nmeaning = "rain"\n', encoding="utf-8")

    result = runner.invoke(args=["decks", "validate", "--overrides", str(table)])

    assert result.exit_code == 1
    assert f"{table}:3: 雨: every row needs a `reason`" in result.stderr
    assert "ok overrides.toml" not in result.stdout


def test_decks_build_hsk_refuses_a_bad_override_table_and_writes_nothing(runner, tmp_path):
    table = tmp_path / "overrides.toml"
    table.write_text(
        '[[override]]\nword = "雨"\npinyin = "yǔ yǔ"\nreason = "two syllables"\n', encoding="utf-8"
    )
    out = tmp_path / "decks"
    out.mkdir()

    result = runner.invoke(args=["decks", "build-hsk", "--dir", str(out), "--overrides", str(table)])

    assert result.exit_code == 1
    assert f"{table}:1: 雨: pinyin: 2 syllables for 1 characters" in result.stderr
    assert list(out.iterdir()) == []

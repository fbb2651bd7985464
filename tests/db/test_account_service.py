"""The learner's own data on a real database: the summary, the JSON and CSV exports, and deleting an account
with every kind of row (checked generically over every foreign key, so a future table is covered too)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import and_, func, select, text, update
from sqlalchemy.exc import DBAPIError

from learnapp.account import deletion, export
from learnapp.account import summary as kept
from learnapp.decks.service import enroll
from learnapp.errors import UserError
from learnapp.extensions import db
from learnapp.models import (
    Card,
    CardState,
    ClassDeck,
    ClassMember,
    ClassReading,
    Classroom,
    Deck,
    DeckImport,
    Enrollment,
    Entry,
    Job,
    MyWord,
    Nickname,
    OutboxMail,
    ReaderText,
    ReadingOpen,
    ReviewLog,
    TeacherInvite,
    User,
    UserSession,
)
from learnapp.ratelimit import login_failures
from learnapp.srs import Rating
from learnapp.study import service as study
from tests.factories import T0, make_deck, make_user


def answer_some(user: User, count: int, now, ratings=(Rating.GOOD, Rating.AGAIN, Rating.EASY)) -> None:
    """Answer `count` cards through the real study service."""
    for number in range(count):
        view = study.today(user, now, enable_fuzz=False)
        assert view.card is not None, "expected a card to answer"
        study.answer(
            user,
            view.card.id,
            ratings[number % len(ratings)],
            view.version,
            now,
            shown_at_ms=int(now.timestamp() * 1000) - 1500,
            enable_fuzz=False,
        )
        now += timedelta(seconds=10)


@dataclass
class World:
    mei: User  # the one who deletes her account
    li: User  # another learner: studies mei's deck and a shared deck, is in mei's class
    wang: User  # another teacher: mei is in his class


def build_world() -> World:
    """Mei with every kind of row there is, and other people whose own data must survive her."""
    make_deck("shared-deck", entries=6, kinds='["recognize", "recall"]')
    make_deck("mei-deck", entries=4)
    mei = make_user("mei", role="teacher", display_name="Mei 美")
    li = make_user("li")
    wang = make_user("wang", role="teacher")
    mei_deck = db.session.scalar(select(Deck).where(Deck.slug == "mei-deck"))
    shared = db.session.scalar(select(Deck).where(Deck.slug == "shared-deck"))
    mei_deck.author_id = mei.id
    db.session.commit()

    for learner in (mei, li):
        enroll(learner, "shared-deck", T0)
        enroll(learner, "mei-deck", T0)
        answer_some(learner, 5, T0)
    # One undone answer in mei's log.
    view = study.today(mei, T0 + timedelta(hours=1), enable_fuzz=False)
    study.undo(mei, view.undo_log_id, T0 + timedelta(hours=1), enable_fuzz=False)

    mei_class = Classroom(teacher_id=mei.id, name="Mei's evening class", join_code="MEI123", created_at=T0)
    wang_class = Classroom(teacher_id=wang.id, name="Wang's class", join_code="WANG12", created_at=T0)
    db.session.add_all([mei_class, wang_class])
    db.session.flush()
    db.session.add_all(
        [
            ClassMember(class_id=mei_class.id, user_id=li.id, joined_at=T0),
            ClassMember(class_id=wang_class.id, user_id=mei.id, joined_at=T0),
            ClassMember(class_id=wang_class.id, user_id=li.id, joined_at=T0),
            ClassDeck(class_id=mei_class.id, deck_id=shared.id, assigned_at=T0),
            ClassDeck(class_id=wang_class.id, deck_id=mei_deck.id, assigned_at=T0),
            ClassDeck(class_id=wang_class.id, deck_id=shared.id, assigned_at=T0),
            TeacherInvite(code="MEI-UNUSED", created_by=mei.id, created_at=T0),
            TeacherInvite(code="MEI-TO-LI", created_by=mei.id, used_by=li.id, created_at=T0, used_at=T0),
            TeacherInvite(code="WANG-TO-MEI", created_by=wang.id, used_by=mei.id, created_at=T0, used_at=T0),
            TeacherInvite(code="WANG-UNUSED", created_by=wang.id, created_at=T0),
            DeckImport(
                token="mei-import", user_id=mei.id, deck_id=mei_deck.id, filename="mei.toml", created_at=T0
            ),
            DeckImport(
                token="wang-on-mei", user_id=wang.id, deck_id=mei_deck.id, filename="w.toml", created_at=T0
            ),
            DeckImport(
                token="wang-own", user_id=wang.id, deck_id=shared.id, filename="s.toml", created_at=T0
            ),
            Nickname(
                user_id=mei.id,
                hanzi="美美",
                pinyin="měi měi",
                kind="sound",
                details={"why": "sounds like Mei"},
                share_token="mei-share-token",
                created_at=T0,
            ),
            Nickname(
                user_id=li.id,
                hanzi="小李",
                pinyin="xiǎo lǐ",
                kind="chinese",
                share_token="li-share",
                created_at=T0,
            ),
            # A background job of hers (fitting her schedule) and one of li's.
            Job(user_id=mei.id, kind="optimise", status="done", created_at=T0, updated_at=T0),
            Job(user_id=li.id, kind="optimise", status="queued", created_at=T0, updated_at=T0),
            OutboxMail(user_id=mei.id, kind="verify", to_address=mei.email, subject="Confirm", created_at=T0),
            OutboxMail(user_id=li.id, kind="verify", to_address=li.email, subject="Confirm", created_at=T0),
            UserSession(user_id=mei.id, token_hash="a" * 64, created_at=T0, last_seen=T0, device="Firefox"),
            UserSession(user_id=li.id, token_hash="b" * 64, created_at=T0, last_seen=T0, device="Chrome"),
        ]
    )
    # The reader: texts of each, words kept (li keeps one of mei's deck), readings of both classes opened.
    texts = [
        ReaderText(
            user_id=user.id, title=f"{user.username}'s post", body="你好", digest=user.username, created_at=T0
        )
        for user in (mei, li, wang)
    ]
    db.session.add_all(texts)
    db.session.flush()
    mei_entry = db.session.scalar(select(Entry.id).where(Entry.deck_id == mei_deck.id).limit(1))
    shared_entry = db.session.scalar(select(Entry.id).where(Entry.deck_id == shared.id).limit(1))
    mei_reading = ClassReading(class_id=mei_class.id, text_id=texts[0].id, published_at=T0)
    wang_reading = ClassReading(class_id=wang_class.id, text_id=texts[2].id, published_at=T0)
    db.session.add_all(
        [
            MyWord(
                user_id=mei.id, entry_id=shared_entry, sentence_zh="你好", text_id=texts[0].id, added_at=T0
            ),
            MyWord(user_id=li.id, entry_id=mei_entry, sentence_zh="你好", text_id=texts[1].id, added_at=T0),
            MyWord(
                user_id=li.id, entry_id=shared_entry, sentence_zh="你好", text_id=texts[1].id, added_at=T0
            ),
            mei_reading,
            wang_reading,
        ]
    )
    db.session.flush()
    db.session.add_all(
        [
            ReadingOpen(reading_id=mei_reading.id, user_id=li.id, opened_at=T0),
            ReadingOpen(reading_id=wang_reading.id, user_id=mei.id, opened_at=T0),
            ReadingOpen(reading_id=wang_reading.id, user_id=li.id, opened_at=T0),
        ]
    )
    db.session.commit()
    return World(mei=mei, li=li, wang=wang)


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def rows_referencing_user(user_id: int) -> dict[str, int]:
    """For every table and every column with a foreign key to users: the rows holding `user_id`."""
    found = {}
    for table in db.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == "users":
                count = db.session.scalar(select(func.count()).select_from(table).where(fk.parent == user_id))
                if count:
                    found[f"{table.name}.{fk.parent.name}"] = count
    return found


def orphans() -> dict[str, int]:
    """Rows whose foreign key points at a row that is not there (for every foreign key of every table)."""
    found = {}
    for table in db.metadata.sorted_tables:
        for fk in table.foreign_keys:
            parent = fk.column.table
            missing = (
                select(func.count())
                .select_from(table)
                .where(fk.parent.is_not(None), ~select(parent).where(fk.column == fk.parent).exists())
            )
            if count := db.session.scalar(missing):
                found[f"{table.name}.{fk.parent.name}"] = count
    return found


def test_every_table_that_points_at_users_is_covered_by_the_world(app):
    """The world really has a row in every column that references users (else the delete test is weak)."""
    world = build_world()
    columns = {
        f"{table.name}.{fk.parent.name}"
        for table in db.metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.column.table.name == "users"
    }
    held = set(rows_referencing_user(world.mei.id))
    assert columns - held == set()


def test_the_summary_counts_what_we_keep(app):
    world = build_world()
    summary = kept.summary(world.mei)
    assert summary.reviews == 5  # undone answers are kept in the log (marked undone)
    assert summary.card_states == 12 + 4
    assert summary.decks_studying == 2
    assert summary.nicknames == 1
    assert summary.classes_joined == 1
    assert summary.invites_created == 2
    assert summary.deck_imports == 1
    assert summary.classes_taught == (kept.TaughtClass("Mei's evening class", 1),)
    assert summary.decks_authored == (kept.AuthoredDeck("mei-deck", "Test deck mei-deck", 4, 1),)


def test_the_json_export_holds_everything_about_the_learner_and_nothing_about_others(app):
    world = build_world()
    data = export.export_data(world.mei, T0 + timedelta(days=1), lambda token: f"https://x/n/{token}")
    written = export.export_json(world.mei, T0 + timedelta(days=1), lambda token: f"https://x/n/{token}")
    assert json.loads(written) == data  # the streamed writer writes exactly the data
    assert written.decode().count("\n") > len(data["reviews"]) + len(data["card_states"])  # a record a line
    assert data["format"] == "huanying-export"
    profile = data["profile"]
    assert profile["username"] == "mei"
    assert profile["email"] == "mei@example.com"
    assert profile["display_name"] == "Mei 美"
    assert profile["role"] == "teacher"
    assert profile["timezone"] == "Asia/Shanghai"
    assert profile["created_at"] == T0.isoformat()
    assert {"day_rollover_hour", "desired_retention", "new_per_day", "reviews_per_day"} <= set(profile)
    assert {"fsrs_parameters", "preferences"} <= set(profile)
    assert "password_hash" not in profile and "session_version" not in profile
    assert data["nicknames"] == [
        {
            "hanzi": "美美",
            "pinyin": "měi měi",
            "kind": "sound",
            "details": {"why": "sounds like Mei"},
            "public": True,
            "current": True,
            "created_at": T0.isoformat(),
            "share_url": "https://x/n/mei-share-token",
        }
    ]
    assert {e["deck"] for e in data["enrollments"]} == {"shared-deck", "mei-deck"}
    states = data["card_states"]
    assert len(states) == 16
    assert {"deck", "entry_key", "headword", "kind", "state", "due", "stability", "difficulty"} <= set(
        states[0]
    )
    assert {"reps", "lapses", "suspended", "leech", "last_review"} <= set(states[0])
    reviews = data["reviews"]
    assert len(reviews) == _count(ReviewLog, ReviewLog.user_id == world.mei.id) == 5
    assert [r["undone"] for r in reviews].count(True) == 1
    first = reviews[0]
    assert first["reviewed_at"] == T0.isoformat()
    assert (first["deck"], first["rating"], first["rating_name"], first["state_before"]) == (
        "shared-deck",
        3,
        "Good",
        "new",
    )
    assert first["duration_ms"] == 1500
    assert {"study_day", "entry_key", "headword", "kind", "state_after"} <= set(first)
    assert data["classes"]["member_of"] == [{"name": "Wang's class", "joined_at": T0.isoformat()}]
    teaching = data["classes"]["teaching"]
    assert [(c["name"], c["members"], c["decks"]) for c in teaching] == [
        ("Mei's evening class", 1, ["shared-deck"])
    ]
    assert [(d["slug"], d["title"]) for d in data["decks_authored"]] == [("mei-deck", "Test deck mei-deck")]
    assert [i["code"] for i in data["teacher_invites_created"]] == ["MEI-UNUSED", "MEI-TO-LI"]
    assert data["deck_imports"] == [
        {"deck": "mei-deck", "filename": "mei.toml", "created_at": T0.isoformat()}
    ]
    assert [t["title"] for t in data["reader"]["texts"]] == ["mei's post"]
    assert [(w["headword"], w["deck"]) for w in data["reader"]["my_words"]] == [("词1", "shared-deck")]
    # Nothing about anyone else: no other username, email, nickname, invite code or import.
    dumped = json.dumps(data, ensure_ascii=False)
    for other in ("li@example.com", "wang@example.com", '"li"', '"wang"', "小李", "WANG-", "wang-", "s.toml"):
        assert other not in dumped


def test_the_csv_export_is_the_review_log_one_answer_a_row(app):
    world = build_world()
    rows = list(csv.reader(io.StringIO(export.review_log_csv(world.mei).decode())))
    assert tuple(rows[0]) == export.CSV_HEADER
    assert len(rows) == 1 + 5
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["reviewed_at"] == T0.isoformat()
    assert (first["deck"], first["rating"], first["rating_name"], first["undone"]) == (
        "shared-deck",
        "3",
        "Good",
        "false",
    )
    assert first["headword"].startswith("词")
    assert [row[-1] for row in rows[1:]].count("true") == 1


def test_the_csv_export_defuses_spreadsheet_formulas(app):
    make_deck("test-deck", entries=1)
    db.session.execute(update(Entry).values(headword="=HYPERLINK(1)"))
    db.session.commit()
    user = make_user()
    enroll(user, "test-deck", T0)
    answer_some(user, 1, T0)
    rows = list(csv.reader(io.StringIO(export.review_log_csv(user).decode())))
    assert rows[1][4] == "'=HYPERLINK(1)"


def test_the_exports_hide_nothing_invisible(app):
    """Text stored before the input rules (or from a deck file) may hold a direction override: the CSV,
    opened in a spreadsheet, has it stripped; the JSON keeps the data but writes it as a visible escape."""
    make_deck("test-deck", entries=1)
    db.session.execute(update(Entry).values(headword="\u202e=1+1词"))
    db.session.commit()
    user = make_user(display_name="Mei\u202egnp.exe")
    enroll(user, "test-deck", T0)
    answer_some(user, 1, T0)
    rows = list(csv.reader(io.StringIO(export.review_log_csv(user).decode())))
    assert rows[1][4] == "'=1+1词"  # stripped, then guarded as a formula
    written = export.export_json(user, T0, lambda token: None)
    assert "\u202e".encode() not in written
    assert b"Mei\\u202egnp.exe" in written
    assert json.loads(written)["profile"]["display_name"] == "Mei\u202egnp.exe"


def test_the_export_filename_uses_the_learners_date(app):
    user = make_user(timezone="Asia/Shanghai")
    late = T0.replace(hour=20)  # 04:00 the next day in Shanghai
    assert kept.export_filename(user, late, "json") == "huanying-mei-2026-03-02.json"


def test_a_wrong_or_empty_password_deletes_nothing(app):
    world = build_world()
    before = rows_referencing_user(world.mei.id)
    for password in ("wrong password", ""):
        with pytest.raises(UserError) as caught:
            deletion.delete_account(world.mei, password, login_failures())
        assert caught.value.field == "password"
    db.session.rollback()
    assert rows_referencing_user(world.mei.id) == before
    assert db.session.get(User, world.mei.id) is not None


def test_sqlite_enforces_foreign_keys(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1


def _delete_and_check(world: World) -> None:
    mei_id, li_id, wang_id = world.mei.id, world.li.id, world.wang.id
    shared = db.session.scalar(select(Deck.id).where(Deck.slug == "shared-deck"))
    mei_deck = db.session.scalar(select(Deck.id).where(Deck.slug == "mei-deck"))
    li_shared_states = _count(CardState, CardState.user_id == li_id, CardState.deck_id == shared)
    li_shared_logs = db.session.scalar(
        select(func.count())
        .select_from(ReviewLog)
        .join(Card, Card.id == ReviewLog.card_id)
        .where(and_(ReviewLog.user_id == li_id, Card.deck_id == shared))
    )
    assert li_shared_states == 12 and li_shared_logs > 0
    assert _count(CardState, CardState.user_id == li_id, CardState.deck_id == mei_deck) == 4

    deletion.delete_account(world.mei, "correct horse", login_failures())
    db.session.expire_all()

    assert rows_referencing_user(mei_id) == {}
    assert orphans() == {}
    assert db.session.get(User, mei_id) is None
    # Her deck went with its entries, cards and everyone's progress on it.
    assert _count(Deck, Deck.id == mei_deck) == 0
    assert _count(Entry, Entry.deck_id == mei_deck) == 0
    assert _count(Card, Card.deck_id == mei_deck) == 0
    assert _count(CardState, CardState.deck_id == mei_deck) == 0
    assert _count(Enrollment, Enrollment.deck_id == mei_deck) == 0
    assert _count(ClassDeck, ClassDeck.deck_id == mei_deck) == 0
    assert _count(DeckImport, DeckImport.deck_id == mei_deck) == 0
    # Her class went with its members and assignments.
    assert db.session.scalars(select(Classroom.name)).all() == ["Wang's class"]
    # Invites she made or redeemed are gone; Wang's unused one is not.
    assert db.session.scalars(select(TeacherInvite.code)).all() == ["WANG-UNUSED"]
    # Everyone else keeps their own data.
    assert {u.username for u in db.session.scalars(select(User))} == {"li", "wang"}
    assert _count(CardState, CardState.user_id == li_id, CardState.deck_id == shared) == li_shared_states
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(ReviewLog)
            .join(Card, Card.id == ReviewLog.card_id)
            .where(ReviewLog.user_id == li_id)
        )
        == li_shared_logs
    )
    assert _count(Enrollment, Enrollment.user_id == li_id) == 1
    assert _count(ClassMember, ClassMember.user_id == li_id) == 1
    assert _count(ClassDeck) == 1
    assert db.session.scalars(select(DeckImport.token)).all() == ["wang-own"]
    assert db.session.scalars(select(Nickname.hanzi)).all() == ["小李"]
    assert _count(Card, Card.deck_id == shared) == 12
    assert wang_id in set(db.session.scalars(select(User.id)))
    # The reader: the others' texts, the word li kept from the shared deck, wang's reading and li's opening.
    assert set(db.session.scalars(select(ReaderText.title))) == {"li's post", "wang's post"}
    assert _count(MyWord) == 1 and _count(MyWord, MyWord.user_id == li_id) == 1
    assert _count(ClassReading) == 1 and _count(ReadingOpen) == 1


def test_deleting_an_account_removes_everything_about_the_user(app):
    _delete_and_check(build_world())


def test_the_delete_does_not_rely_on_on_delete_cascade(app):
    """With the database's foreign-key actions switched off, the explicit deletes still leave nothing."""
    world = build_world()
    if db.engine.dialect.name == "sqlite":
        db.session.commit()
        db.session.execute(text("PRAGMA foreign_keys=OFF"))  # outside a transaction: takes effect
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 0
        restore = "PRAGMA foreign_keys=ON"
    else:
        try:
            db.session.execute(text("SET session_replication_role = replica"))  # no FK triggers
        except DBAPIError:  # needs a superuser
            db.session.rollback()
            pytest.skip("cannot switch off foreign-key triggers")
        restore = "SET session_replication_role = DEFAULT"
    try:
        _delete_and_check(world)
    finally:
        db.session.rollback()
        db.session.execute(text(restore))
        db.session.commit()


def test_deleting_a_plain_learner_with_nothing_else(app):
    user = make_user("solo")
    other = make_user("other")
    deletion.delete_account(user, "correct horse", login_failures())
    assert db.session.scalars(select(User.username)).all() == [other.username]

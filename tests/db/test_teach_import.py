"""Import and export on a real database: the preview writes nothing to the deck; confirm creates, updates
(keeping learners' progress and the columns the file leaves out) and restores, in one go; problems block
it whole; 5,000 rows import in seconds; an export imports back to the same entries."""

from __future__ import annotations

import io
import sqlite3
import tempfile
import time
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from learnapp.content.deckfile import parse_deck_text
from learnapp.decks.service import enroll
from learnapp.errors import NotFound, UserError
from learnapp.extensions import db
from learnapp.models import Card, CardState, DeckImport, Entry
from learnapp.srs import Rating
from learnapp.study import service as study
from learnapp.teach import editor, imports
from learnapp.teach.editor import DeckFields, EntryFields
from tests.factories import T0
from tests.http.test_teach_support import make_account


@pytest.fixture
def teacher(app):
    return make_account("olive", "teacher")


@pytest.fixture
def deck(teacher):
    deck = editor.create_deck(teacher, DeckFields(title="Words", visibility="public"), T0)
    editor.add_entry(
        teacher, deck.slug, EntryFields(headword="你好", meaning="hello", notes="the classic"), T0
    )
    return deck


def upload(teacher, deck, text, filename="words.csv"):
    pending = imports.preview_upload(teacher, deck.slug, filename, text.encode("utf-8"), T0)
    return pending.token, imports.get_preview(teacher, deck.slug, pending.token)


def live(deck):
    db.session.expire_all()
    return {
        e.headword: e
        for e in db.session.scalars(
            select(Entry).where(Entry.deck_id == deck.id, ~Entry.retired).order_by(Entry.position)
        )
    }


def test_the_preview_writes_nothing_and_confirm_writes_everything(teacher, deck):
    learner = make_account("lily")
    enroll(learner, deck.slug, T0)
    token, preview = upload(
        teacher, deck, "headword,pinyin,meaning\n谢谢,,thanks\n再见,zai4 jian4,goodbye\n你好,,hi\n"
    )
    assert (preview.ok, preview.total, preview.counts) == (
        True,
        3,
        {"create": 2, "update": 1, "restore": 0, "unchanged": 0},
    )
    assert [p.row.headword for p in preview.shown["create"]] == ["谢谢", "再见"]
    assert preview.shown["update"][0].changed == ("meaning",)
    assert list(live(deck)) == ["你好"]  # nothing yet
    report = imports.confirm(teacher, deck.slug, token, T0)
    assert (report.created, report.updated, report.unchanged, report.restored) == (2, 1, 0, 0)
    entries = live(deck)
    assert list(entries) == ["你好", "谢谢", "再见"]
    assert (entries["谢谢"].pinyin, entries["再见"].pinyin, entries["谢谢"].search_numbered) == (
        "xiè xie",
        "zài jiàn",
        "xie4xie5",
    )
    # The update kept what the file did not say: the note, and the pinyin its empty cell left out.
    assert (entries["你好"].meaning, entries["你好"].notes, entries["你好"].pinyin) == (
        "hi",
        "the classic",
        "nǐ hǎo",
    )
    assert db.session.scalar(select(func.count()).select_from(Card).where(Card.deck_id == deck.id)) == 6
    assert (
        db.session.scalar(select(func.count()).where(CardState.user_id == learner.id, CardState.active)) == 6
    )
    assert db.session.scalar(select(func.count()).select_from(DeckImport)) == 0
    with pytest.raises(NotFound):  # a preview is used once
        imports.confirm(teacher, deck.slug, token, T0)


def test_an_update_keeps_learners_progress(teacher, deck):
    learner = make_account("lily")
    enroll(learner, deck.slug, T0)
    view = study.today(learner, T0, enable_fuzz=False)
    study.answer(learner, view.card.id, Rating.GOOD, view.version, T0, enable_fuzz=False)
    key = live(deck)["你好"].key
    token, _ = upload(teacher, deck, f"key,headword,meaning\n{key},您好,hello (polite)\n")
    imports.confirm(teacher, deck.slug, token, T0)
    entries = live(deck)
    assert list(entries) == ["您好"] and entries["您好"].key == key and entries["您好"].pinyin == "nín hǎo"
    assert db.session.get(CardState, (learner.id, view.card.id)).reps == 1


def test_a_deleted_entry_comes_back_by_its_key(teacher, deck):
    entry = live(deck)["你好"]
    editor.retire_entry(teacher, deck.slug, entry.key, T0)
    token, preview = upload(teacher, deck, f"key,headword,meaning\n{entry.key},你好,hello again\n")
    assert preview.counts["restore"] == 1
    report = imports.confirm(teacher, deck.slug, token, T0)
    assert report.restored == 1
    assert live(deck)["你好"].id == entry.id
    assert db.session.scalar(select(func.count()).where(Card.entry_id == entry.id, ~Card.retired)) == 2


def test_an_unchanged_file_changes_nothing(teacher, deck):
    token, preview = upload(teacher, deck, "headword,meaning,notes\n你好,hello,the classic\n")
    assert preview.counts == {"create": 0, "update": 0, "restore": 0, "unchanged": 1}
    assert imports.confirm(teacher, deck.slug, token, T0).unchanged == 1


def test_problems_are_listed_by_line_and_block_the_import(teacher, deck):
    token, preview = upload(
        teacher, deck, "headword,meaning,pinyin\n谢谢,thanks,\n谢谢,again,\n再见,,\n好,good,hao3 hao3\n"
    )
    assert not preview.ok
    found = {(e.line, e.column) for e in preview.errors}
    assert {(3, "headword"), (4, "meaning"), (5, "pinyin")} <= found
    with pytest.raises(UserError, match="Nothing was imported"):
        imports.confirm(teacher, deck.slug, token, T0)
    assert list(live(deck)) == ["你好"]


def test_two_rows_cannot_claim_the_same_entry(teacher, deck):
    key = live(deck)["你好"].key
    _, preview = upload(teacher, deck, f"key,headword,meaning\n{key},您好,polite\n,你好,hello\n")
    assert [(e.line, e.column) for e in preview.errors] == [(3, "key")]
    assert (
        "matches the same entry (你好" in preview.errors[0].message
        and "as line 2" in preview.errors[0].message
    )


def test_a_context_deck_needs_examples(teacher):
    deck = editor.create_deck(teacher, DeckFields(title="C", card_kinds=("recognize", "context")), T0)
    _, preview = upload(teacher, deck, "headword,meaning,example_zh\n谢谢,thanks,谢谢你！\n再见,bye,\n")
    assert [(e.line, e.column) for e in preview.errors] == [(3, "example_zh")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "This is not a text file"),
        ("headword,meaning\ncafé,coffee\n".encode("latin-1"), "not UTF-8"),
        (b"headword,meaning\n", "a header row but no rows"),
        (
            ("headword,meaning\n" + "".join(f"词{n},word {n}\n" for n in range(50_000))).encode(),
            "the limit is 10,000",
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_beside_the_file_field(teacher, deck, data, message):
    with pytest.raises(UserError, match=message) as raised:
        imports.preview_upload(teacher, deck.slug, "words.csv", data, T0)
    assert raised.value.field == "file"
    assert db.session.scalar(select(func.count()).select_from(DeckImport)) == 0


def test_missing_columns_are_a_line_one_problem(teacher, deck):
    _, preview = upload(teacher, deck, "hanzi,pinyin\n谢谢,xiè xie\n")
    assert [(e.line, e.column) for e in preview.errors] == [(1, "header")]
    assert "missing required column meaning" in preview.errors[0].message
    assert not preview.ok


def test_a_toml_deck_file_imports_its_entries(teacher, deck):
    text = '[deck]\nslug = "x"\ntitle = "X"\n\n[[entries]]\nid = "thanks"\nheadword = "谢谢"\nmeaning = "thanks"\n'
    token, preview = upload(teacher, deck, text, "x.toml")
    assert preview.format == "toml" and preview.deck_table["title"] == "X" and preview.counts["create"] == 1
    imports.confirm(teacher, deck.slug, token, T0)
    assert live(deck)["谢谢"].key == "thanks"


def test_a_new_upload_replaces_the_pending_one(teacher, deck):
    first, _ = upload(teacher, deck, "headword,meaning\n谢谢,thanks\n")
    upload(teacher, deck, "headword,meaning\n再见,bye\n")
    with pytest.raises(NotFound):
        imports.get_preview(teacher, deck.slug, first)
    assert db.session.scalar(select(func.count()).select_from(DeckImport)) == 1


def test_five_thousand_rows_import_in_seconds(teacher, deck):
    learner = make_account("lily")
    enroll(learner, deck.slug, T0)
    rows = "".join(f"词{n},,word {n},note {n},tag{n % 7}\n" for n in range(5000))
    started = time.perf_counter()
    token, preview = upload(teacher, deck, "headword,pinyin,meaning,notes,tags\n" + rows)
    report = imports.confirm(teacher, deck.slug, token, T0)
    elapsed = time.perf_counter() - started
    assert preview.ok and report.created == 5000
    assert db.session.scalar(select(func.count()).where(CardState.user_id == learner.id)) == 2 * 5001
    assert elapsed < 30, f"5,000 rows took {elapsed:.1f} s"


def test_an_export_imports_back_to_the_same_entries(teacher, deck):
    editor.add_entry(
        teacher,
        deck.slug,
        EntryFields(
            headword="不客气",
            meaning='you\'re welcome, "no problem"',
            literal="not polite",
            notes="=SUM(A1) is not a formula here\nsecond line",
            example_zh="不客气！",
            example_pinyin="bù kè qi!",
            example_en="You're welcome!",
            tags="polite, basics",
        ),
        T0,
    )
    csv_export = imports.export(teacher, deck.slug, "csv")
    assert (csv_export.filename, csv_export.mimetype) == (f"{deck.slug}.csv", "text/csv; charset=utf-8")
    copy = editor.create_deck(teacher, DeckFields(title="Copy"), T0)
    token, preview = upload(teacher, copy, csv_export.data.decode("utf-8-sig"), "copy.csv")
    assert preview.ok, preview.errors
    imports.confirm(teacher, copy.slug, token, T0)
    fields = (
        "key",
        "headword",
        "pinyin",
        "pinyin_spoken",
        "literal",
        "meaning",
        "notes",
        "example_zh",
        "tags",
    )
    original = [tuple(getattr(e, f) for f in fields) for e in live(deck).values()]
    copied = [tuple(getattr(e, f) for f in fields) for e in live(copy).values()]
    assert copied == original

    toml = imports.export(teacher, deck.slug, "toml").data.decode()
    parsed = parse_deck_text(toml, "export.toml")
    assert [e.headword for e in parsed.entries] == ["你好", "不客气"] and parsed.title == "Words"


def test_the_anki_package_opens_with_escaped_fields(teacher, deck):
    editor.add_entry(teacher, deck.slug, EntryFields(headword="<b>坏</b>", meaning="<script>x</script>"), T0)
    package = imports.export(teacher, deck.slug, "apkg")
    assert package.filename == f"{deck.slug}.apkg"
    with zipfile.ZipFile(io.BytesIO(package.data)) as archive, tempfile.TemporaryDirectory() as folder:
        assert "collection.anki2" in archive.namelist()
        path = Path(folder) / "collection.anki2"
        path.write_bytes(archive.read("collection.anki2"))
        connection = sqlite3.connect(path)
        fields = [row[0].split("\x1f") for row in connection.execute("SELECT flds FROM notes ORDER BY id")]
        connection.close()
    assert [f[:3] for f in fields] == [
        ["你好", "nǐ hǎo", "hello"],
        ["&lt;b&gt;坏&lt;/b&gt;", "huài", "&lt;script&gt;x&lt;/script&gt;"],
    ]

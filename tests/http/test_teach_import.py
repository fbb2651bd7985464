"""Import and export over HTTP: upload, preview (counts, rows, problems by line), confirm and cancel; bad
uploads (too large, not text, wrong encoding, missing columns, duplicates, 50,000 rows) get a clear
message and write nothing; HTML in the file is shown escaped; downloads have the right names and types."""

from __future__ import annotations

import io
import logging
import re
import zipfile

import pytest
from sqlalchemy import func, select

from learnapp.extensions import db
from learnapp.models import DeckImport, Entry
from learnapp.teach import editor
from learnapp.teach.editor import DeckFields, EntryFields
from tests.factories import T0
from tests.http.test_logging import lines
from tests.http.test_teach_support import client_for, htmx, make_account, token


@pytest.fixture
def teacher(app):
    return make_account("olive", "teacher")


@pytest.fixture
def client(app, teacher):
    return client_for(app, teacher)


@pytest.fixture
def deck(teacher):
    deck = editor.create_deck(teacher, DeckFields(title="Words", visibility="public"), T0)
    editor.add_entry(teacher, deck.slug, EntryFields(headword="你好", meaning="hello"), T0)
    return deck


def post_file(client, deck, data: bytes, filename="words.csv"):
    return client.post(
        f"/teach/decks/{deck.slug}/import",
        data={"file": (io.BytesIO(data), filename), "csrf_token": token(client)},
        content_type="multipart/form-data",
    )


def entry_count():
    return db.session.scalar(select(func.count()).select_from(Entry).where(~Entry.retired))


def test_upload_preview_confirm(client, deck):
    page = client.get(f"/teach/decks/{deck.slug}/import").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and "Up to 10,000 rows and 2 MB" in page
    response = post_file(client, deck, "headword,meaning\n谢谢,thanks\n你好,hi\n".encode())
    assert response.status_code == 303
    preview_url = response.headers["Location"]
    assert re.fullmatch(rf"/teach/decks/{deck.slug}/import/[\w-]+", preview_url)
    html = client.get(preview_url).get_data(as_text=True)
    assert '<li data-count="create"><b>1</b> new</li>' in html
    assert '<li data-count="update"><b>1</b> updated</li>' in html
    assert "xiè xie" in html and "Nothing has changed yet" in html
    assert "Import 2 changes</button>" in html
    assert entry_count() == 1
    response = client.post(preview_url, data={"csrf_token": token(client)})
    assert response.status_code == 303 and response.headers["Location"] == f"/teach/decks/{deck.slug}"
    assert "Imported: 1 new, 1 updated, 0 unchanged." in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    assert entry_count() == 2
    assert client.get(preview_url).status_code == 404  # used


def test_a_confirmed_import_is_audited_once_and_a_refused_one_not_at_all(client, deck, teacher, caplog):
    bad = post_file(client, deck, "headword,meaning\n好,\n".encode()).headers["Location"]
    with caplog.at_level(logging.INFO, logger="learnapp.audit"):
        assert (
            client.post(bad, data={"csrf_token": token(client)}).status_code == 400
        )  # a row without a meaning
        assert lines(caplog, "learnapp.audit") == []
    good = post_file(client, deck, "headword,meaning\n谢谢,thanks\n".encode()).headers["Location"]
    with caplog.at_level(logging.INFO, logger="learnapp.audit"):
        client.post(good, data={"csrf_token": token(client)})
        client.post(good, data={"csrf_token": token(client)})  # sent again: already done, not audited
    [line] = lines(caplog, "learnapp.audit")
    assert {k: line[k] for k in ("event", "deck_id", "created", "updated", "actor_id")} == {
        "event": "deck_imported",
        "deck_id": deck.id,
        "created": 1,
        "updated": 0,
        "actor_id": teacher.id,
    }


def test_cancel_throws_the_preview_away(client, deck):
    preview_url = post_file(client, deck, "headword,meaning\n谢谢,thanks\n".encode()).headers["Location"]
    response = client.post(preview_url + "/cancel", data={"csrf_token": token(client)})
    assert response.status_code == 303
    assert db.session.scalar(select(func.count()).select_from(DeckImport)) == 0
    assert entry_count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(300), "This is not a text file (it looks like a PNG image)"),
        (b"PK\x03\x04" + bytes(300), "Excel .xlsx"),
        ("headword,meaning\ncafé,coffee\n".encode("latin-1"), "not UTF-8"),
        (b"   ", "The file is empty."),
        (
            ("headword,meaning\n" + "".join(f"w{n},m\n" for n in range(50_000))).encode(),
            "the limit is 10,000",
        ),
    ],
)
def test_an_unreadable_upload_is_refused_beside_the_file_field(client, deck, data, message):
    response = post_file(client, deck, data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="file-error"' in html and message in html
    assert db.session.scalar(select(func.count()).select_from(DeckImport)) == 0


def test_no_file_is_a_field_error(client, deck):
    response = client.post(f"/teach/decks/{deck.slug}/import", data={"csrf_token": token(client)})
    assert response.status_code == 422 and "Choose a file to import." in response.get_data(as_text=True)


def test_a_too_large_upload_gets_a_clear_page(client, deck, app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = post_file(client, deck, b"headword,meaning\n" + b"x" * limit)
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "That file is too large" in html and "at most 2 MB" in html
    assert db.session.scalar(select(func.count()).select_from(DeckImport)) == 0


def bad_rows(html: str) -> dict[str, str]:
    """Line -> its problems, from the preview's table of rows with problems."""
    return {
        line: re.sub(r"<[^>]+>", "", cells)
        for line, cells in re.findall(r'<tr class="row-bad" data-line="(\d+)">(.*?)</tr>', html, re.S)
    }


def test_bad_rows_are_marked_counted_out_and_can_be_skipped(client, deck):
    """Issue 16: the preview marks the bad rows in a table, counts only good rows as new, and lets the
    teacher import the good rows and skip the bad ones (or upload a fixed file)."""
    text = "headword,meaning\n谢谢,thanks\n谢谢,again\n再见,\n"
    preview_url = post_file(client, deck, text.encode()).headers["Location"]
    html = client.get(preview_url).get_data(as_text=True)
    marked = bad_rows(html)
    assert set(marked) == {"3", "4"}
    assert "谢谢 also on line 2" in marked["3"] and "meaning" in marked["4"]
    assert '<li data-count="create"><b>1</b> new</li>' in html  # only the good row
    assert "Import 1 change, skip 2 rows</button>" in html and "Upload a fixed file" in html
    # Confirming without choosing to skip still writes nothing.
    response = client.post(preview_url, data={"csrf_token": token(client)})
    assert response.status_code == 400 and entry_count() == 1
    response = client.post(preview_url, data={"csrf_token": token(client), "skip_bad": "1"})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Imported: 1 new, 0 updated, 0 unchanged; 2 rows with problems skipped." in page
    assert entry_count() == 2


def test_a_row_whose_key_and_headword_name_two_entries_is_marked(client, deck, teacher):
    """A row keyed to one entry but carrying another live entry's headword would leave the deck with that
    headword twice: the preview marks it on its line, and it cannot be imported."""
    hello = db.session.scalar(select(Entry).where(Entry.deck_id == deck.id))
    thanks = editor.add_entry(teacher, deck.slug, EntryFields(headword="谢谢", meaning="thanks"), T0)
    text = f"key,headword,meaning\n{hello.key},谢谢,thank you\n"
    preview_url = post_file(client, deck, text.encode()).headers["Location"]
    marked = bad_rows(client.get(preview_url).get_data(as_text=True))
    assert set(marked) == {"2"}
    assert (
        f"谢谢 is already another entry of this deck (key {thanks.key}), not the one with key {hello.key}"
        in (marked["2"])
    )
    response = client.post(preview_url, data={"csrf_token": token(client)})
    assert response.status_code == 400 and entry_count() == 2
    db.session.expire_all()
    assert [e.headword for e in db.session.scalars(select(Entry).order_by(Entry.id))] == ["你好", "谢谢"]


def test_missing_columns_are_reported_on_line_1_and_nothing_can_be_imported(client, deck):
    preview_url = post_file(client, deck, "word,pinyin\n谢谢,xie4 xie5\n".encode()).headers["Location"]
    html = client.get(preview_url).get_data(as_text=True)
    assert "line 1</span> <code>header</code>: missing required column meaning" in html
    assert "skip_bad" not in html and "Upload a fixed file" in html
    response = client.post(preview_url, data={"csrf_token": token(client), "skip_bad": "1"})
    assert response.status_code == 400 and entry_count() == 1


def test_a_confirm_of_a_file_with_problems_writes_nothing(client, deck):
    preview_url = post_file(client, deck, "headword,meaning\n谢谢,\n".encode()).headers["Location"]
    response = client.post(preview_url, data={"csrf_token": token(client)})
    assert response.status_code == 400 and "Nothing was imported" in response.get_data(as_text=True)
    assert entry_count() == 1


def test_html_in_the_file_is_shown_escaped(client, deck):
    xss = "<script>alert(1)</script>"
    text = f'headword,meaning,notes\n"{xss}","{xss}","{xss}"\n你好,"<img src=x onerror=alert(1)>",\n'
    preview_url = post_file(client, deck, text.encode(), filename=f"{xss}.csv").headers["Location"]
    html = client.get(preview_url).get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    client.post(preview_url, data={"csrf_token": token(client)})
    editor_html = client.get(f"/teach/decks/{deck.slug}").get_data(as_text=True)
    assert "<script>alert" not in editor_html and "&lt;img src=x" in editor_html


def test_downloads(client, deck):
    for fmt, mimetype in (
        ("csv", "text/csv"),
        ("toml", "application/toml"),
        ("apkg", "application/octet-stream"),
    ):
        response = client.get(f"/teach/decks/{deck.slug}/export.{fmt}")
        assert response.status_code == 200
        assert response.mimetype == mimetype
        assert response.headers["Content-Disposition"] == f"attachment; filename={deck.slug}.{fmt}"
    csv_text = client.get(f"/teach/decks/{deck.slug}/export.csv").get_data().decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("key,headword,pinyin,spoken,")
    assert csv_text.splitlines()[1].split(",")[1:5] == ["你好", "nǐ hǎo", "ní hǎo", ""]
    apkg = client.get(f"/teach/decks/{deck.slug}/export.apkg").get_data()
    assert "collection.anki2" in zipfile.ZipFile(io.BytesIO(apkg)).namelist()
    editor_html = client.get(f"/teach/decks/{deck.slug}").get_data(as_text=True)
    assert f'href="/teach/decks/{deck.slug}/export.apkg" download' in editor_html


def test_the_import_page_is_a_full_page_even_for_htmx(client, deck):
    response = client.get(f"/teach/decks/{deck.slug}/import", headers=htmx())
    assert response.status_code == 200 and "Import entries" in response.get_data(as_text=True)

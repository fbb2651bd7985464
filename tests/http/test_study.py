"""The study loop over HTTP, each endpoint with and without htmx; database rows checked."""

import re
import time

import pytest
from sqlalchemy import func, select

from learnapp.extensions import db
from learnapp.models import CardState, ReviewLog
from tests.conftest import csrf_from, prepared_plans, statements_sent

HTMX = {"HX-Request": "true"}


@pytest.fixture
def learner(client, auth, load_decks):
    load_decks()
    auth.signup()
    token = auth.token("/decks")
    response = client.post("/decks/mandarin-first-words/enroll", data={"csrf_token": token})
    assert response.status_code == 303
    return client


def current_card(html: str) -> dict:
    card = re.search(r'data-card-id="(\d+)"', html)
    version = re.search(r'name="version" value="(\d+)"', html)
    return {"card_id": card.group(1) if card else None, "version": version.group(1) if version else None}


def log_count():
    return db.session.scalar(select(func.count()).select_from(ReviewLog))


def answer(client, rating="3", headers=None, **overrides):
    page = client.get("/study").get_data(as_text=True)
    card = current_card(page)
    back = client.get(f"/study?card={card['card_id']}&side=back").get_data(as_text=True)
    data = {
        "csrf_token": csrf_from(back),
        "card_id": card["card_id"],
        "rating": rating,
        "version": current_card(back)["version"],
        "shown_at": "0",
    } | overrides
    return client.post("/study/answer", data=data, headers=headers or {}), data


def test_enrolling_creates_card_states(learner):
    # 21 entries x (recognize, recall, typed pinyin) + a tone drill for each of the 10 two-syllable words
    assert db.session.scalar(select(func.count()).select_from(CardState)) == 21 * 3 + 10


def test_study_page_shows_the_first_card_and_counts(learner):
    response = learner.get("/study")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" in html
    assert "你好" in html
    assert '<b data-count="new">20</b>' in html
    assert "Show answer" in html
    assert "HX-Request" in response.headers["Vary"]


def test_show_answer_as_fragment_for_htmx_and_page_without(learner):
    card = current_card(learner.get("/study").get_data(as_text=True))
    url = f"/study?card={card['card_id']}&side=back"
    fragment = learner.get(url, headers=HTMX).get_data(as_text=True)
    assert "<html" not in fragment
    assert 'id="study-card"' in fragment
    assert "hello" in fragment.lower()
    assert re.search(r'<span class="interval">10m</span>\s*<span class="grade-label">Good</span>', fragment)
    page = learner.get(url).get_data(as_text=True)
    assert "<html" in page
    assert "Again" in page


def test_answer_without_htmx_redirects_with_303(learner):
    response, data = answer(learner)
    assert response.status_code == 303
    assert response.headers["Location"] == "/study"
    assert log_count() == 1
    state = db.session.get(CardState, (1, int(data["card_id"])))
    assert (state.state, state.reps) == ("learning", 1)


def test_answer_with_htmx_swaps_in_the_next_card_and_counts(learner):
    response, data = answer(learner, headers=HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html
    assert current_card(html)["card_id"] != data["card_id"]
    assert 'id="study-counts" class="study-counts" hx-swap-oob="true"' in html
    assert '<b data-count="new">19</b>' in html
    assert '<b data-count="learning">1</b>' in html
    assert log_count() == 1


def test_double_submit_applies_once(learner):
    _, data = answer(learner, headers=HTMX)
    second = learner.post("/study/answer", data=data, headers=HTMX)
    assert second.status_code == 200
    assert log_count() == 1


@pytest.mark.parametrize("rating", ["0", "5", "good", ""])
def test_a_rating_that_does_not_exist_changes_nothing(learner, rating):
    response, _ = answer(learner, rating=rating)
    assert response.status_code == 400
    assert "Choose Again, Hard, Good or Easy." in response.get_data(as_text=True)
    assert log_count() == 0


def test_a_card_that_is_not_yours_is_404(learner, client):
    response, _ = answer(learner, card_id="999999")
    assert response.status_code == 404
    assert log_count() == 0


def test_a_card_not_shown_yet_is_409(learner):
    last = db.session.scalars(select(CardState).order_by(CardState.new_position.desc())).first()
    response, _ = answer(learner, card_id=str(last.card_id), version="0", headers=HTMX)
    assert response.status_code == 409
    assert "isn&#39;t due now" in response.get_data(as_text=True)
    assert log_count() == 0


def test_answer_without_csrf_is_refused(learner):
    card = current_card(learner.get("/study").get_data(as_text=True))
    response = learner.post("/study/answer", data={"card_id": card["card_id"], "rating": "3", "version": "0"})
    assert response.status_code == 400
    assert log_count() == 0


def _token_signed_yesterday(app, client) -> str:
    """A valid CSRF token for this browser's session, signed a day ago (tokens do not expire here)."""
    from itsdangerous import URLSafeTimedSerializer

    class Yesterday(URLSafeTimedSerializer.default_signer):
        def get_timestamp(self) -> int:
            return int(time.time()) - 86400

    with client.session_transaction() as session:
        raw = session["csrf_token"]
    return URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token", signer=Yesterday).dumps(raw)


@pytest.mark.parametrize("time_limit, reused", [(None, True), (3600 * 48, False)])
def test_an_answer_renders_the_token_it_posted_unless_tokens_expire(app, learner, time_limit, reused):
    """The next card's forms carry the token the answer brought (no second signature per answer), and that
    token keeps working; with expiring tokens, a fresh one, so the new page never inherits an old expiry."""
    app.config["WTF_CSRF_TIME_LIMIT"] = time_limit
    page = learner.get("/study").get_data(as_text=True)
    posted = _token_signed_yesterday(app, learner)
    form = {"csrf_token": posted, "rating": "3", "shown_at": "0"} | current_card(page)
    with app.app_context():  # a fresh `g`, as every request has outside the tests' shared context
        response = learner.post("/study/answer", data=form, headers=HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert (csrf_from(html) == posted) is reused
    assert log_count() == 1
    form = {"csrf_token": csrf_from(html), "rating": "3", "shown_at": "0"} | current_card(html)
    with app.app_context():
        assert learner.post("/study/answer", data=form, headers=HTMX).status_code == 200
    assert log_count() == 2


def test_undo_with_and_without_htmx(learner):
    _, data = answer(learner)
    page = learner.get("/study").get_data(as_text=True)
    log_id = re.search(r'name="log_id" value="(\d+)"', page).group(1)
    response = learner.post("/study/undo", data={"csrf_token": csrf_from(page), "log_id": log_id})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/study?card={data['card_id']}"
    assert db.session.scalar(select(ReviewLog.undone)) is True
    assert db.session.get(CardState, (1, int(data["card_id"]))).state == "new"

    _, data = answer(learner)
    page = learner.get("/study").get_data(as_text=True)
    log_id = re.search(r'name="log_id" value="(\d+)"', page).group(1)
    fragment = learner.post(
        "/study/undo", data={"csrf_token": csrf_from(page), "log_id": log_id}, headers=HTMX
    )
    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 200
    assert current_card(html)["card_id"] == data["card_id"]
    assert '<b data-count="new">20</b>' in html


def test_study_needs_login_and_htmx_gets_hx_redirect(client):
    plain = client.get("/study")
    assert plain.status_code == 302
    assert plain.headers["Location"].startswith("/login?next=/study")
    htmx = client.get("/study", headers=HTMX)
    assert htmx.status_code == 401
    assert htmx.headers["HX-Redirect"].startswith("/login")
    post = client.post("/study/answer", headers=HTMX)
    assert post.status_code in (400, 401)


def test_empty_queue_shows_when_the_next_card_is_due(client, auth, load_decks):
    load_decks()
    auth.signup()
    html = client.get("/study").get_data(as_text=True)
    assert "Nothing to study yet" in html
    assert "Browse decks" in html


def _back(client) -> str:
    card = current_card(client.get("/study").get_data(as_text=True))
    return client.get(f"/study?card={card['card_id']}&side=back", headers=HTMX).get_data(as_text=True)


def _shown_entry(client):
    from learnapp.models import Card, Entry

    card_id = int(current_card(client.get("/study").get_data(as_text=True))["card_id"])
    return db.session.scalar(select(Entry).join(Card, Card.entry_id == Entry.id).where(Card.id == card_id))


def test_an_edited_entry_shows_its_new_text_on_the_very_next_card(learner):
    """A card's entry side is rendered once per process and kept (study/faces.py); an entry edited
    meanwhile (by its author, by a deck reload, in another process) must show its new text at once."""
    back = _back(learner)
    assert "hello" in back.lower()
    entry = _shown_entry(learner)
    assert entry.headword == "你好"
    entry.meaning = "hi there (edited)"
    entry.notes = "A note <b>added</b> later"
    db.session.commit()
    again = _back(learner)
    assert "hi there (edited)" in again
    assert "A note &lt;b&gt;added&lt;/b&gt; later" in again  # still escaped
    assert "hello" not in again.lower().replace("hi there", "")


def test_turning_ruby_on_shows_pinyin_over_the_characters_on_the_next_card(learner, auth):
    """Ruby is part of what the cached entry side depends on: the same card looks different at once."""
    from learnapp.models import User

    assert "<ruby" not in _back(learner)
    user = db.session.scalar(select(User))
    user.preferences = {**(user.preferences or {}), "ruby": True}
    db.session.commit()
    assert re.search(r'<ruby class="tone3">你<rp>\(</rp><rt>nǐ</rt>', _back(learner))


def test_an_htmx_answer_on_sqlite_sends_only_the_statements_it_needs(learner, app):
    """A SQLite file has no server to lose: its connections are taken from the pool without the
    "SELECT 1" ping a database server's get (one statement more for each transaction of every request).
    And the progress bar's missed cards are counted with the queue's counts, not in a statement of their own."""
    if db.engine.dialect.name != "sqlite":
        assert db.engine.pool._pre_ping  # a server's connections are pinged: a restart costs a retry
        return
    page = learner.get("/study").get_data(as_text=True)
    card = current_card(page)
    with statements_sent() as sent:  # every connection the request takes is a new one, traced from its start
        response = learner.post(
            "/study/answer",
            data={"csrf_token": csrf_from(page), "rating": "3", "shown_at": "0"} | card,
            headers=HTMX,
        )
    assert response.status_code == 200
    assert any(statement.startswith("INSERT INTO review_logs") for statement in sent), sent
    assert "COMMIT" in sent and sent[-1].startswith("SELECT"), sent  # the next card's reads after the commit
    missed_alone = "SELECT count(*) AS count_1 FROM review_logs"
    assert not [statement for statement in sent if " ".join(statement.split()).startswith(missed_alone)], sent
    assert not [statement for statement in sent if statement.strip().upper() == "SELECT 1"], sent


def test_the_study_page_counts_missed_cards_with_the_queue(learner):
    """After an Again, the study page says the card comes back; the count of missed cards is read in the
    queue's counts statement (traced as the database sees it), not in a statement of its own."""
    page = learner.get("/study").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "rating": "1", "shown_at": "0"} | current_card(page)
    assert learner.post("/study/answer", data=data).status_code == 303
    sqlite = db.engine.dialect.name == "sqlite"
    with statements_sent() as sent:
        response = learner.get("/study")
    assert response.status_code == 200
    assert "+1: a card you missed comes back" in response.get_data(as_text=True)
    missed_alone = "SELECT count(*) AS count_1 FROM review_logs"
    assert not [statement for statement in sent if " ".join(statement.split()).startswith(missed_alone)], sent
    assert not sqlite or any("4 AS k" in statement for statement in sent), sent


@pytest.mark.parametrize("rating", ["1", "3"])
def test_an_htmx_answer_and_its_next_card_are_one_transaction_on_postgresql(learner, rating):
    """On PostgreSQL the next card (and the progress bar's missed cards) is read inside the answer's own
    transaction: one COMMIT per answer, no second transaction with its BEGIN and COMMIT round trips. On
    SQLite it is read after the commit, so the write lock is not held meanwhile (its reads need no COMMIT).
    Counted as the database sees them (the answer commits its connection directly, not through the ORM).
    Its three writes (the state, the siblings' burial, the log row) are one statement on PostgreSQL."""
    page = learner.get("/study").get_data(as_text=True)
    first = {"csrf_token": csrf_from(page), "rating": "1", "shown_at": "0"} | current_card(page)
    page = learner.post("/study/answer", data=first, headers=HTMX).get_data(as_text=True)
    with statements_sent() as sent:
        data = {"csrf_token": csrf_from(page), "rating": rating, "shown_at": "0"} | current_card(page)
        response = learner.post("/study/answer", data=data, headers=HTMX)
    commits = [statement for statement in sent if statement.strip().upper() == "COMMIT"]
    begins = [statement for statement in sent if statement.strip().upper().startswith("BEGIN")]
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert log_count() == 2
    assert 'data-card-id="' in html and f'data-card-id="{data["card_id"]}"' not in html
    assert len(commits) == 1, sent  # the answer's; before, PostgreSQL also committed a second transaction
    assert len(begins) == 1, sent  # and it began one (SQLite: BEGIN IMMEDIATE, its write lock)
    writes = [statement for statement in sent if statement.split()[0].upper() in ("INSERT", "UPDATE", "WITH")]
    assert len(writes) == (1 if db.engine.dialect.name == "postgresql" else 3), writes
    missed = 2 if rating == "1" else 1  # both Again answers come back, or only the first
    assert (
        f"+{missed}: {'a card you missed comes back' if missed == 1 else 'cards you missed come back'}"
        in html
    )


def test_on_postgresql_a_study_request_leaves_its_statements_prepared_for_the_next(learner):
    """Study requests end their reads with COMMIT (`database.end_reads`, or the answer's own): psycopg
    would drop every prepared statement at the ROLLBACK that otherwise ends the request, and the next
    request would prepare and plan them all again."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("psycopg's prepared statements")
    db.session.remove()
    db.engine.dispose()  # the requests below share one new connection
    page = learner.get("/study").get_data(as_text=True)
    for _ in range(2):
        data = {"csrf_token": csrf_from(page), "rating": "3", "shown_at": "0"} | current_card(page)
        response = learner.post("/study/answer", data=data, headers=HTMX)
        assert response.status_code == 200
        page = response.get_data(as_text=True)
    loader = [generic for generic, _custom in prepared_plans("JOIN user_sessions")]
    assert loader == [3]  # the page's and both answers', one statement
    counts = [generic for generic, _custom in prepared_plans("4 AS k, count(*) AS n")]  # with missed cards
    assert counts == [2]  # both answers', one statement

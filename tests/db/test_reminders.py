"""Daily reminders on a real database with a real SMTP server (aiosmtpd): the learner's own time and day,
one mail a learner-day even with two senders at once, what the mail says, refused addresses, the CLI and
the RQ queue."""

from __future__ import annotations

import os
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event, func, select, update

from learnapp.decks.service import enroll
from learnapp.extensions import db
from learnapp.models import CardState, OutboxMail, User
from learnapp.reminders.service import reminder_moment, send_due
from learnapp.srs import Rating
from learnapp.study import service as study
from tests.factories import T0, make_deck, make_user
from tests.mailbox import html_part, links, text_part

REDIS_URL = os.environ.get("TEST_REMINDERS_REDIS_URL", "redis://127.0.0.1:6379/5")
# Asia/Shanghai is UTC+8 (no DST): a 19:00 reminder on 2 March is 11:00 UTC.
DAY = date(2026, 3, 2)
AT_1900 = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)


def learner(username="mei", due=3, timezone="Asia/Shanghai", **settings) -> User:
    """A verified learner with reminders on at 19:00 and `due` review cards due on 2 March."""
    if not db.session.scalar(select(func.count()).select_from(CardState)) and not _deck_loaded():
        make_deck(entries=5)
    user = make_user(
        username,
        timezone=timezone,
        reminder_enabled=True,
        email_verified_at=T0,
        **settings,
    )
    enroll(user, "test-deck", T0)
    card_ids = list(
        db.session.scalars(
            select(CardState.card_id).where(CardState.user_id == user.id).order_by(CardState.new_position)
        )
    )[:due]
    for offset, card_id in enumerate(card_ids):
        db.session.execute(
            update(CardState)
            .where(CardState.user_id == user.id, CardState.card_id == card_id)
            .values(
                state="review",
                due=AT_1900 + timedelta(hours=1 + offset),
                stability=10.0,
                difficulty=5.0,
                reps=1,
                last_review=AT_1900 - timedelta(days=10),
            )
        )
    db.session.commit()
    return user


def _deck_loaded() -> bool:
    from learnapp.models import Deck

    return db.session.scalar(select(func.count()).select_from(Deck)) > 0


def _user(user_id: int) -> User:
    db.session.expire_all()
    return db.session.get(User, user_id)


def _outbox() -> list[OutboxMail]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMail).order_by(OutboxMail.id)))


def test_one_reminder_at_the_learners_time_and_none_again_that_day(app, mailbox):
    user = learner()
    assert send_due(AT_1900 - timedelta(minutes=1)).sent == 0
    assert mailbox.deliveries() == []
    report = send_due(AT_1900)
    assert (report.sent, report.failed) == (1, 0)
    [message] = mailbox.deliveries()
    assert message["To"] == "mei@example.com"
    assert message["Subject"] == "3 cards due today · Huanying"
    text = text_part(message)
    assert "3 cards are due today." in text
    assert "One of them: 词1." in text  # the card due first, headword only
    assert "word 1" not in text  # never its meaning
    assert "Study today to start a streak." in text
    assert "http://127.0.0.1:5000/study" in links(message)
    assert "http://127.0.0.1:5000/settings#reminders" in links(message)
    unsubscribe = [link for link in links(message) if "/unsubscribe/" in link]
    assert message["List-Unsubscribe"] == f"<{unsubscribe[0]}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = html_part(message)
    assert 'href="http://127.0.0.1:5000/study"' in html
    assert '<span class="teaser" lang="zh-CN">词1</span>' in html
    assert f'href="{unsubscribe[0]}"' in html
    assert _user(user.id).reminder_last_day == DAY

    # Every minute after that, the rest of the learner-day: nothing more.
    for minutes in (1, 60, 15 * 60):
        assert send_due(AT_1900 + timedelta(minutes=minutes)).sent == 0
    assert len(mailbox.deliveries()) == 1
    # The next learner-day (from 04:00 Shanghai), at 19:00 again: one more.
    assert send_due(AT_1900 + timedelta(hours=24)).sent == 1
    assert len(mailbox.deliveries()) == 2


def test_the_learners_own_timezone_decides(app, mailbox):
    make_deck(entries=5)
    shanghai = learner("mei")
    new_york = learner("ana", timezone="America/New_York")  # 19:00 on 2 March there is 00:00 UTC on 3 March
    assert send_due(AT_1900).sent == 1
    assert [m["To"] for m in mailbox.deliveries()] == [shanghai.email]
    assert send_due(datetime(2026, 3, 2, 23, 59, tzinfo=UTC)).sent == 0
    assert send_due(datetime(2026, 3, 3, 0, 0, tzinfo=UTC)).sent == 1
    assert [m["To"] for m in mailbox.deliveries()][-1] == new_york.email


def test_a_reminder_after_midnight_belongs_to_the_learner_day_before(app):
    """With the day starting at 04:00, a 02:00 reminder falls on the next calendar date."""
    user = make_user(day_rollover_hour=4)
    day = user.study_day(datetime(2026, 3, 2, 4, 0, tzinfo=UTC))  # 12:00 in Shanghai
    assert day.local_date == "2026-03-02"
    assert reminder_moment(day, user.timezone, 4, 2 * 60) == datetime(2026, 3, 2, 18, 0, tzinfo=UTC)
    assert reminder_moment(day, user.timezone, 4, 5 * 60) == datetime(2026, 3, 1, 21, 0, tzinfo=UTC)


def test_no_reminder_when_the_learner_studied_that_day(app, mailbox):
    user = learner()
    view = study.today(user, AT_1900 - timedelta(hours=3), enable_fuzz=False)
    study.answer(
        user, view.card.id, Rating.GOOD, view.version, AT_1900 - timedelta(hours=3), enable_fuzz=False
    )
    report = send_due(AT_1900)
    assert (report.sent, report.not_needed) == (0, 1)
    assert mailbox.deliveries() == []
    assert _outbox() == []
    assert _user(user.id).reminder_last_day == DAY  # settled: not looked at again today


def test_no_reminder_when_nothing_is_due(app, mailbox):
    learner(due=0)
    assert send_due(AT_1900).not_needed == 1
    assert mailbox.deliveries() == []


def test_suspended_and_inactive_cards_are_not_due(app, mailbox):
    user = learner(due=2)
    db.session.execute(
        update(CardState)
        .where(CardState.user_id == user.id, CardState.state == "review")
        .values(suspended=True)
    )
    db.session.commit()
    assert send_due(AT_1900).not_needed == 1


@pytest.mark.parametrize(
    "settings", [{"reminder_enabled": False}, {"email_verified_at": None}, {"mail_failures": 3}]
)
def test_no_reminder_when_off_unverified_or_refused(app, mailbox, settings):
    user = learner()
    for name, value in settings.items():
        setattr(user, name, value)
    db.session.commit()
    assert send_due(AT_1900).sent == 0
    assert mailbox.deliveries() == []
    assert _user(user.id).reminder_last_day is None


def test_the_streak_is_in_the_mail(app, mailbox):
    user = learner(new_per_day=5)
    for days_before in (2, 1):  # studied on 28 Feb and 1 Mar (Shanghai)
        now = AT_1900 - timedelta(days=days_before)
        view = study.today(user, now, enable_fuzz=False)
        study.answer(user, view.card.id, Rating.GOOD, view.version, now, enable_fuzz=False)
    assert send_due(AT_1900).sent == 1
    text = text_part(mailbox.deliveries()[0])
    assert "Your streak: 2 days. Study today to make it 3." in text


def test_a_refused_address_is_recorded_and_reminders_stop_after_3_failures(app, mailbox):
    mailbox.refuse.add("bounce.example")
    user = learner()
    user.email = "mei@bounce.example"
    db.session.commit()
    for day in range(3):
        report = send_due(AT_1900 + timedelta(days=day))
        assert (report.sent, report.failed) == (0, 1)
        assert "550" in report.errors[0]
    failed = _outbox()
    assert [(m.status, m.to_address) for m in failed] == [("failed", "mei@bounce.example")] * 3
    assert all(m.error.startswith("550") for m in failed)
    assert _user(user.id).mail_failures == 3
    # The fourth day: not even tried.
    assert send_due(AT_1900 + timedelta(days=3)).failed == 0
    assert len(_outbox()) == 3


def test_an_accepted_mail_resets_the_failures(app, mailbox):
    user = learner(mail_failures=2)
    assert send_due(AT_1900).sent == 1
    assert _user(user.id).mail_failures == 0


def test_an_invalid_stored_address_is_recorded_not_raised(app, mailbox):
    user = learner()
    user.email = "no at sign, and a\nnewline"
    db.session.commit()
    report = send_due(AT_1900)
    assert report.failed == 1
    [mail] = _outbox()
    assert mail.status == "failed"
    assert _user(user.id).mail_failures == 1


def test_without_smtp_the_reminder_goes_to_the_outbox(app):
    user = learner()
    assert send_due(AT_1900).sent == 1
    [mail] = _outbox()
    assert (mail.kind, mail.status, mail.user_id) == ("reminder", "logged", user.id)
    assert "3 cards are due today." in mail.text_body


def test_two_senders_at_once_send_one_reminder_per_learner(app, mailbox):
    """Two runs overlapping (two hosts' cron at the same minute): each learner gets exactly one mail.

    The runs are made to overlap for sure: each waits at its first claim (a barrier on the first UPDATE of
    users it makes) until the other has got there too, so both have read every learner as unsettled before
    either claims one. Each learner is then raced for: one run's claim wins and sends, the other's finds
    the day taken. Without the claim, every learner would get two mails."""
    make_deck(entries=5)
    users = [learner(f"learner{n}", due=2) for n in range(12)]
    db.session.remove()
    barrier = threading.Barrier(2)
    held = threading.local()
    reports, errors = [], []

    def hold_the_first_claim(state):
        mapper = state.bind_mapper
        if (
            state.is_update
            and mapper is not None
            and mapper.class_ is User
            and not getattr(held, "done", False)
        ):
            held.done = True
            barrier.wait(timeout=30)

    def run():
        try:
            with app.app_context():
                reports.append(send_due(AT_1900 + timedelta(minutes=1)))
                db.session.remove()
        except Exception as error:  # surfaced below
            errors.append(error)

    event.listen(db.session, "do_orm_execute", hold_the_first_claim)
    try:
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        event.remove(db.session, "do_orm_execute", hold_the_first_claim)
    assert errors == []
    assert len(reports) == 2
    assert sum(report.sent for report in reports) == len(users)
    # Both runs reached the claim of every learner: every claim one run won, the other lost.
    assert sum(report.taken for report in reports) == len(users)
    assert all(report.failed == report.not_needed == 0 for report in reports)
    received = sorted(m["To"] for m in mailbox.deliveries())
    assert received == sorted(user.email for user in users)
    assert len(_outbox()) == len(users)


def test_the_mail_promises_what_the_study_page_shows_within_the_review_limit(app, mailbox):
    """300 reviews due and 100 a day allowed: the mail says 100, as the study page does."""
    make_deck(entries=300)
    user = learner(due=0, reviews_per_day=100)
    db.session.execute(
        update(CardState)
        .where(CardState.user_id == user.id)
        .values(
            state="review",
            due=AT_1900 - timedelta(days=1),
            stability=10.0,
            difficulty=5.0,
            reps=1,
            last_review=AT_1900 - timedelta(days=11),
        )
    )
    db.session.commit()
    assert db.session.scalar(select(func.count()).where(CardState.user_id == user.id)) == 300
    counts = study.today(user, AT_1900).counts
    assert (counts.reviews_due, counts.learning) == (100, 0)
    assert send_due(AT_1900).sent == 1
    [message] = mailbox.deliveries()
    assert message["Subject"] == "100 cards due today · Huanying"
    assert "100 cards are due today." in text_part(message)


def test_the_teaser_is_the_card_the_study_page_shows_first_within_the_review_limit(app, mailbox):
    """4 reviews due, 2 allowed: the page shows the least likely to be remembered first (a backlog's
    order), not the one due first; the mail's teaser is that card, never one the page will not show."""
    user = learner(due=4, reviews_per_day=2)
    card_ids = db.session.scalars(
        select(CardState.card_id).where(CardState.user_id == user.id).order_by(CardState.new_position)
    ).all()[:4]
    for k, card_id in enumerate(card_ids):  # 词1 due first but the most stable, 词4 due last, the least
        db.session.execute(
            update(CardState)
            .where(CardState.user_id == user.id, CardState.card_id == card_id)
            .values(stability=10.0 - 2 * k)
        )
    db.session.commit()
    assert send_due(AT_1900).sent == 1
    [message] = mailbox.deliveries()
    assert message["Subject"] == "2 cards due today · Huanying"
    assert "One of them: 词4." in text_part(message)
    view = study.today(_user(user.id), AT_1900)
    assert (view.entry.headword, view.counts.reviews_due) == ("词4", 2)


def test_the_cli_sends_what_is_due_and_nothing_twice(app, runner, mailbox):
    learner()
    early = runner.invoke(args=["reminders", "send", "--at", "2026-03-02T10:59:00+00:00"])
    assert early.exit_code == 0, early.output
    assert "0 sent" in early.output
    first = runner.invoke(args=["reminders", "send", "--at", "2026-03-02T11:00:00Z"])
    assert "reminders: 1 sent, 0 failed, 0 not needed" in first.output
    again = runner.invoke(args=["reminders", "send", "--at", "2026-03-02T11:01:00Z"])
    assert "reminders: 0 sent" in again.output
    assert len(mailbox.deliveries()) == 1
    bad = runner.invoke(args=["reminders", "send", "--at", "yesterday"])
    assert bad.exit_code == 2
    assert "ISO time" in bad.output


def test_enqueue_needs_redis(app, runner):
    result = runner.invoke(args=["reminders", "send", "--enqueue"])
    assert result.exit_code == 1
    assert "REDIS_URL is not set" in result.output


def test_enqueued_runs_are_done_by_an_rq_worker(database_url, tmp_path):
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisDown

    try:
        Redis.from_url(REDIS_URL).ping()
    except RedisDown:
        pytest.skip(f"no Redis at {REDIS_URL}")
    from learnapp import create_app
    from learnapp.jobs.runner import runner_of
    from tests.conftest import base_config
    from tests.mailbox import Mailbox

    box = Mailbox()
    config = base_config(database_url, tmp_path) | {"JOBS_BACKEND": "rq", "REDIS_URL": REDIS_URL}
    app = create_app(config | {"MAIL_URL": box.start()})
    try:
        with app.app_context():
            runner = runner_of(app)
            runner.queue.empty()
            # Reminders due now (the worker's run uses the clock): a learner whose 19:00 has come.
            now = datetime.now(UTC)
            user = learner()
            local = now.astimezone(user.zone)
            user.reminder_minute = 0 if local.hour < 4 else 4 * 60  # at the day's start: passed already
            db.session.execute(
                update(CardState)
                .where(CardState.user_id == user.id, CardState.state == "review")
                .values(due=now)
            )
            db.session.commit()
            result = app.test_cli_runner().invoke(args=["reminders", "send", "--enqueue"])
            assert "queued" in result.output
            assert runner.queue.count == 1
            assert box.messages == []  # nothing happens until a worker takes it
            runner.work(burst=True)
            assert [m["To"] for m in box.messages] == ["mei@example.com"]
            db.session.remove()
            db.engine.dispose()
    finally:
        box.stop()

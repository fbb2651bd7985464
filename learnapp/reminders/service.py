"""Daily reminders, sent by `flask reminders send` (every minute from cron or a systemd timer, on any
number of hosts at once) or by an RQ worker (`flask reminders send --enqueue`).

A learner who turned reminders on, with a verified address that has not failed 3 times in a row, is
settled once per learner-day, at the first run at or after their reminder time in their own timezone: one
conditional UPDATE claims the day (`reminder_last_day`), so of two overlapping runs only one goes on; then a
mail is written if cards are due and nothing was studied yet that day, and delivered after the claim
commits. A failed delivery is not retried that day (at most one mail a learner-day).

"Due" is what the study page counts at that moment as learning and to review, the daily review limit
applied (learnapp/study/view.py `todays_counts`): the mail never promises more than the page shows. New
cards are not "due": a learner with only new cards left gets no mail. The teaser is the card the page
shows first among those (`todays_first_due`: within the review limit, a backlog in the page's order).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast

from flask import current_app
from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.engine import CursorResult

from learnapp.database import transaction
from learnapp.extensions import db
from learnapp.mail import deliver, public_url, queue
from learnapp.mail.tokens import LinkProblem, read, sign
from learnapp.models import ReviewLog, User, utcnow
from learnapp.srs.queue import Day, learner_day, learner_zone
from learnapp.study.view import todays_counts, todays_first_due

MAX_FAILURES = 3


@dataclass
class Report:
    sent: int = 0
    failed: int = 0
    not_needed: int = 0  # studied already, or nothing due
    taken: int = 0  # claimed by another run between this run's read and its claim (they overlapped)
    errors: list[str] = field(default_factory=list)


def format_minute(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def reminder_moment(day: Day, timezone: str, rollover_hour: int, minute: int) -> datetime:
    """When the reminder of learner-day `day` is due: the first time the clock shows `minute` in the
    learner's timezone at or after the day's start (a 02:00 reminder with a 04:00 rollover falls on the
    next calendar date, still the same learner-day)."""
    zone = learner_zone(timezone)
    local_date = date.fromisoformat(day.local_date)
    at = time(minute // 60, minute % 60)
    if at < time(rollover_hour):
        local_date += timedelta(days=1)
    return datetime.combine(local_date, at, tzinfo=zone).astimezone(UTC)


def _eligible() -> tuple[ColumnElement[bool], ...]:
    return (
        User.reminder_enabled.is_(True),
        User.email_verified_at.isnot(None),
        User.mail_failures < MAX_FAILURES,
    )


def send_due(now: datetime) -> Report:
    """Settle every learner whose reminder time has come today and who has not been settled today."""
    report = Report()
    with transaction():  # the read ends here: each learner is settled in a transaction of its own
        candidates = db.session.execute(
            select(
                User.id, User.timezone, User.day_rollover_hour, User.reminder_minute, User.reminder_last_day
            ).where(*_eligible())
        ).all()
    for user_id, timezone, rollover, minute, last_day in candidates:
        day = learner_day(now, timezone, rollover)
        today = date.fromisoformat(day.local_date)
        if last_day is not None and last_day >= today:
            continue
        if now < reminder_moment(day, timezone, rollover, minute):
            continue
        outcome = settle(user_id, today, day, now)
        if outcome == "sent":
            report.sent += 1
        elif outcome.startswith("failed"):
            report.failed += 1
            report.errors.append(f"user {user_id}: {outcome}")
        elif outcome == "not needed":
            report.not_needed += 1
        elif outcome == "taken":
            report.taken += 1
    return report


def settle(user_id: int, today: date, day: Day, now: datetime) -> str:
    """Claim the learner's day (one run of many wins), then write and deliver the reminder if it is
    needed: "sent", "failed: ...", "not needed" or "taken" (another run has it)."""
    with transaction():
        claimed = cast(
            "CursorResult[Any]",
            db.session.execute(
                update(User)
                .where(
                    User.id == user_id,
                    *_eligible(),
                    or_(User.reminder_last_day.is_(None), User.reminder_last_day < today),
                )
                .values(reminder_last_day=today),
                execution_options={"synchronize_session": False},
            ),
        ).rowcount
        if claimed != 1:
            return "taken"
        user = db.session.get(User, user_id, populate_existing=True)
        assert user is not None
        if _studied(user_id, day):
            return "not needed"
        counts = todays_counts(user, now)
        due = counts.learning + counts.reviews_due
        if due == 0:
            return "not needed"
        mail = queue(
            user,
            "reminder",
            f"{due} card{'s' if due != 1 else ''} due today · Huanying",
            "reminder",
            unsubscribe_url=unsubscribe_url(user, now),
            deliver_later=False,
            now=now,
            due=due,
            streak=_streak(user, now),
            teaser=_teaser(user, now),
            study_url=public_url("study.today"),
            settings_url=public_url("settings.edit", _anchor="reminders"),
            reminder_time=format_minute(user.reminder_minute),
        )
    delivered = deliver(mail.id, now)
    if delivered is None or delivered.status in ("sent", "logged"):
        return "sent"
    return f"failed: {delivered.error}"


def _studied(user_id: int, day: Day) -> bool:
    return (
        db.session.scalar(
            select(ReviewLog.id)
            .where(
                ReviewLog.user_id == user_id,
                ReviewLog.reviewed_at >= day.start,
                ReviewLog.reviewed_at < day.end,
                ReviewLog.undone.is_(False),
            )
            .limit(1)
        )
        is not None
    )


def _teaser(user: User, now: datetime) -> str | None:
    """The headword of the card the study page shows first among those the mail counts as due (so within
    the day's review limit, a backlog in the page's order): a teaser (never its meaning)."""
    face = todays_first_due(user, now)
    return face.entry_headword if face is not None else None


def _streak(user: User, now: datetime) -> int:
    from learnapp.stats.service import glance

    return glance(user, now).streaks.current


# ---- unsubscribing ----------------------------------------------------------------------------------


def unsubscribe_url(user: User, now: datetime) -> str:
    """A signed link that turns this account's reminders off (no login: it works from any mail client)."""
    return public_url("reminders.unsubscribe", token=sign("unsubscribe", {"u": user.id}, now))


def unsubscribe_user(token: str) -> User:
    """The account an unsubscribe link is for (LinkProblem when the link is not ours)."""
    payload = read("unsubscribe", token, None, utcnow())
    user_id = payload.get("u")
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None:
        raise LinkProblem("invalid")
    return user


@transaction()
def unsubscribe(token: str) -> User:
    user = unsubscribe_user(token)
    user.reminder_enabled = False
    return user


# ---- from the job queue ---------------------------------------------------------------------------


def run_from_queue() -> None:
    """RQ's entry point (`flask reminders send --enqueue`): the same run, in a worker's app context."""
    report = send_due(utcnow())
    current_app.logger.info(
        "reminders: %d sent, %d failed, %d not needed, %d taken by another run",
        report.sent,
        report.failed,
        report.not_needed,
        report.taken,
    )

"""The learner's day, daily limits and queue order, on fixed clocks."""

from datetime import UTC, datetime, timedelta

import pytest

from learnapp.srs import Bucket, QueueCounts, QueuePlan, learner_day, pick_bucket
from learnapp.srs.queue import DoneToday, bucket_of


def utc(*args):
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "local_date"),
    [
        (utc(2026, 3, 1, 19, 59), "2026-03-01"),  # 03:59 on the 2nd in Shanghai: still the 1st's day
        (utc(2026, 3, 1, 20, 0), "2026-03-02"),  # 04:00 on the 2nd in Shanghai: a new day
        (utc(2026, 3, 1, 15, 59), "2026-03-01"),  # 23:59 on the 1st in Shanghai
        (utc(2026, 3, 1, 19, 59), "2026-03-01"),
    ],
)
def test_rollover_boundary_in_shanghai(now, local_date):
    day = learner_day(now, "Asia/Shanghai", 4)
    assert day.local_date == local_date
    assert day.end - day.start == timedelta(days=1)
    assert day.start <= now < day.end


def test_rollover_hour_is_the_learners_own():
    day = learner_day(utc(2026, 3, 1, 20, 30), "Asia/Shanghai", 6)  # 04:30 on the 2nd, rollover 06:00
    assert day.local_date == "2026-03-01"
    assert day.start == utc(2026, 2, 28, 22, 0)  # 06:00 local on the 1st
    assert learner_day(utc(2026, 3, 1, 20, 30), "Asia/Shanghai", 4).local_date == "2026-03-02"


def test_day_with_a_daylight_saving_change_is_23_hours():
    day = learner_day(utc(2026, 3, 8, 12, 0), "America/New_York", 4)
    assert day.start == utc(2026, 3, 8, 8, 0)  # 04:00 EDT
    assert day.end == utc(2026, 3, 9, 8, 0)
    previous = learner_day(utc(2026, 3, 8, 7, 0), "America/New_York", 4)
    assert previous.end - previous.start == timedelta(hours=23)


NOON = utc(2026, 3, 1, 12)
NOTHING_DONE = DoneToday()


def plan(now=NOON, new=20, reviews=200, done=NOTHING_DONE):
    return QueuePlan.build(now, learner_day(now, "UTC", 4), new, reviews, done)


def test_daily_limits_count_what_was_done_today():
    p = plan(new=20, reviews=200, done=DoneToday(new=18, reviews=199, total=230))
    assert (p.new_left, p.reviews_left) == (2, 1)
    assert plan(new=5, done=DoneToday(new=9)).new_left == 0
    counts = QueueCounts(learning_due=1, reviews_due=50, new_available=40).clipped(p)
    assert (counts.reviews_due, counts.new_available, counts.total) == (1, 2, 4)


def test_queue_order_is_learning_reviews_new_then_learn_ahead():
    assert (
        pick_bucket(QueueCounts(learning_due=1, reviews_due=1, new_available=1, learning_ahead=1))
        is Bucket.LEARNING
    )
    assert pick_bucket(QueueCounts(reviews_due=1, new_available=1, learning_ahead=1)) is Bucket.REVIEW
    assert pick_bucket(QueueCounts(new_available=1, learning_ahead=1)) is Bucket.NEW
    assert pick_bucket(QueueCounts(learning_ahead=1)) is Bucket.LEARN_AHEAD
    assert pick_bucket(QueueCounts()) is None


def test_learning_cards_come_back_within_the_session():
    p = plan()
    assert bucket_of("learning", p.now - timedelta(seconds=1), p) is Bucket.LEARNING
    assert bucket_of("learning", p.now + timedelta(minutes=10), p) is Bucket.LEARN_AHEAD
    assert bucket_of("relearning", p.now + timedelta(minutes=20), p) is Bucket.LEARN_AHEAD
    assert bucket_of("learning", p.now + timedelta(minutes=21), p) is None


def test_reviews_are_due_until_the_end_of_the_learners_day():
    p = plan()  # day ends 2026-03-02 04:00 UTC
    assert bucket_of("review", utc(2026, 3, 2, 3, 59), p) is Bucket.REVIEW
    assert bucket_of("review", utc(2026, 3, 2, 4, 0), p) is None
    assert bucket_of("review", utc(2026, 3, 1, 3, 0), plan(reviews=0)) is None


def test_new_cards_only_within_the_limit():
    assert bucket_of("new", None, plan(new=1)) is Bucket.NEW
    assert bucket_of("new", None, plan(new=1, done=DoneToday(new=1))) is None

"""The learner's day, daily limits and queue order, on fixed clocks."""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from learnapp.srs import (
    Bucket,
    QueueCounts,
    QueuePlan,
    State,
    learner_day,
    learner_zone,
    pick_bucket,
    todays_bucket,
)
from learnapp.srs.queue import LEARN_AHEAD, DoneToday, bucket_of


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


# --- The learner's timezone -------------------------------------------------------------------------------


def test_a_known_zone_is_that_zone():
    assert learner_zone("Asia/Shanghai") == ZoneInfo("Asia/Shanghai")
    assert learner_zone("America/New_York").key == "America/New_York"


@pytest.mark.parametrize(
    "name",
    [
        "",
        "Not/AZone",
        "Asia/Peking",  # a city, not a zone
        "../../etc/passwd",
        "/etc/localtime",  # absolute paths are refused
        "UTC\x00",
        "Europe",  # a folder of the zone database, not a zone
        "America/",
        "x" * 300,  # longer than a file name can be
    ],
    ids=lambda name: repr(name[:20]),
)
def test_a_name_that_is_not_a_zone_reads_as_utc(name):
    assert learner_zone(name) == ZoneInfo("UTC")
    now = utc(2026, 3, 1, 3, 59)
    assert learner_day(now, name, 4) == learner_day(now, "UTC", 4)


# --- The learner's day ------------------------------------------------------------------------------------


def local(zone, *args, fold=0):
    return datetime(*args, tzinfo=ZoneInfo(zone), fold=fold).astimezone(UTC)


@pytest.mark.parametrize(
    ("zone", "wall", "rollover", "local_date"),
    [
        ("Asia/Shanghai", (2026, 3, 2, 3, 59, 59), 4, "2026-03-01"),  # 03:59:59 belongs to yesterday
        ("Asia/Shanghai", (2026, 3, 2, 4, 0), 4, "2026-03-02"),
        ("Asia/Shanghai", (2026, 3, 2, 0, 0), 0, "2026-03-02"),  # rollover at midnight: the calendar day
        ("Asia/Shanghai", (2026, 3, 1, 23, 59), 0, "2026-03-01"),
        ("Asia/Shanghai", (2026, 3, 2, 22, 59), 23, "2026-03-01"),  # rollover at 23:00
        ("Asia/Shanghai", (2026, 3, 2, 23, 0), 23, "2026-03-02"),
        ("America/Los_Angeles", (2026, 1, 1, 3, 0), 4, "2025-12-31"),  # across a year
        ("Asia/Kathmandu", (2026, 6, 1, 4, 0), 4, "2026-06-01"),  # +05:45
        ("Asia/Kathmandu", (2026, 6, 1, 3, 59), 4, "2026-05-31"),
    ],
)
def test_the_day_turns_at_the_rollover_hour_on_the_learners_clock(zone, wall, rollover, local_date):
    now = local(zone, *wall)
    day = learner_day(now, zone, rollover)
    assert day.local_date == local_date
    assert day.start <= now < day.end
    assert day.end - day.start == timedelta(days=1)
    start = day.start.astimezone(ZoneInfo(zone))
    assert (start.date().isoformat(), start.hour, start.minute) == (local_date, rollover, 0)


def test_spring_forward_day_is_23_hours_and_fall_back_day_25():
    spring = learner_day(local("America/New_York", 2026, 3, 8, 12, 0), "America/New_York", 4)
    assert (spring.start, spring.end) == (utc(2026, 3, 8, 8, 0), utc(2026, 3, 9, 8, 0))  # both EDT
    before = learner_day(local("America/New_York", 2026, 3, 8, 3, 30), "America/New_York", 4)
    assert (before.local_date, before.end - before.start) == ("2026-03-07", timedelta(hours=23))
    autumn = learner_day(local("America/New_York", 2026, 10, 31, 12, 0), "America/New_York", 4)
    assert (autumn.start, autumn.end) == (utc(2026, 10, 31, 8, 0), utc(2026, 11, 1, 9, 0))
    assert autumn.end - autumn.start == timedelta(hours=25)
    sydney = learner_day(local("Australia/Sydney", 2026, 4, 4, 12, 0), "Australia/Sydney", 4)
    assert sydney.end - sydney.start == timedelta(hours=25)  # April: the southern autumn


def test_a_rollover_hour_that_the_clock_skips_starts_the_day_at_the_jump():
    # New York, 8 March 2026: 02:00 EST jumps to 03:00 EDT (07:00 UTC).
    day = learner_day(local("America/New_York", 2026, 3, 8, 3, 0), "America/New_York", 2)
    assert (day.local_date, day.start) == ("2026-03-08", utc(2026, 3, 8, 7, 0))
    before = learner_day(utc(2026, 3, 8, 6, 59), "America/New_York", 2)  # 01:59 EST
    assert (before.local_date, before.end) == ("2026-03-07", day.start)


def test_a_rollover_hour_that_the_clock_repeats_starts_the_day_the_first_time():
    # New York, 1 November 2026: 01:00-02:00 happens twice, first in EDT (05:00 UTC) then in EST (06:00 UTC).
    first = learner_day(local("America/New_York", 2026, 11, 1, 1, 30), "America/New_York", 1)
    second = learner_day(local("America/New_York", 2026, 11, 1, 1, 30, fold=1), "America/New_York", 1)
    assert first == second
    assert (first.local_date, first.start) == ("2026-11-01", utc(2026, 11, 1, 5, 0))
    assert first.end - first.start == timedelta(hours=25)  # the repeated hour is part of this day
    assert learner_day(utc(2026, 11, 1, 4, 59), "America/New_York", 1).local_date == "2026-10-31"


# Zones whose clock changes on the hour (or have none): all but a handful of the zones in use.
ZONES = [
    "UTC",
    "Asia/Shanghai",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "America/New_York",
    "America/Sao_Paulo",
    "America/Santiago",
    "America/St_Johns",
    "Europe/London",
    "Europe/Berlin",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Pacific/Auckland",
    "Pacific/Chatham",
    "Pacific/Apia",
    "Asia/Tehran",
]


@given(
    now=st.datetimes(
        min_value=datetime(2012, 1, 1), max_value=datetime(2037, 12, 31), timezones=st.just(UTC)
    ),
    zone=st.sampled_from(ZONES),
    rollover=st.integers(0, 23),
)
def test_every_moment_lies_in_its_day_and_days_tile_time(now, zone, rollover):
    day = learner_day(now, zone, rollover)
    assert day.start <= now < day.end
    assert timedelta(hours=22) <= day.end - day.start <= timedelta(hours=26)
    assert learner_day(day.start, zone, rollover) == day
    assert learner_day(day.end - timedelta(microseconds=1), zone, rollover) == day
    following = learner_day(day.end, zone, rollover)
    assert following.start == day.end
    assert (
        following.local_date
        == (datetime.fromisoformat(day.local_date) + timedelta(days=1)).date().isoformat()
    )
    start = day.start.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    rollover_moment = datetime.combine(datetime.fromisoformat(day.local_date).date(), time(rollover))
    assert (
        rollover_moment <= start < rollover_moment + timedelta(hours=2)
    )  # later only when the hour is skipped


# A spring-forward jump off the hour (Chatham: 02:45 -> 03:45) skips the 03:00 rollover: the day starts at
# the jump, 03:45, and ends at the next day's 03:00.
def test_a_jump_off_the_hour_keeps_now_in_its_day():
    now = local("Pacific/Chatham", 2026, 9, 27, 3, 50)
    day = learner_day(now, "Pacific/Chatham", 3)
    assert day.start <= now < day.end
    jump = utc(2026, 9, 26, 14, 0)  # 02:45 +12:45, the same moment as 03:45 +13:45
    assert (day.start, day.end, day.local_date) == (
        jump,
        local("Pacific/Chatham", 2026, 9, 28, 3),
        "2026-09-27",
    )
    before = learner_day(jump - timedelta(microseconds=1), "Pacific/Chatham", 3)
    assert (before.end, before.local_date) == (jump, "2026-09-26")


@pytest.mark.parametrize("rollover", range(24))
def test_every_minute_of_chathams_spring_forward_lies_in_its_day(rollover):
    start = utc(2026, 9, 25, 12, 0)
    for minute in range(0, 3 * 24 * 60, 5):
        now = start + timedelta(minutes=minute)
        day = learner_day(now, "Pacific/Chatham", rollover)
        assert day.start <= now < day.end
        assert learner_day(day.end, "Pacific/Chatham", rollover).start == day.end


# --- Plans, counts and buckets ----------------------------------------------------------------------------


def test_a_plan_never_has_a_negative_allowance_and_looks_twenty_minutes_ahead():
    p = plan(new=10, reviews=100, done=DoneToday(new=15, reviews=130, total=145))
    assert (p.new_left, p.reviews_left) == (0, 0)
    assert p.learn_ahead_cutoff == NOON + timedelta(minutes=20)
    assert plan(new=0, reviews=0).new_left == 0


@given(
    learning_due=st.integers(0, 50),
    learning_ahead=st.integers(0, 50),
    reviews_due=st.integers(0, 500),
    new_available=st.integers(0, 500),
    new=st.integers(0, 100),
    reviews=st.integers(0, 1000),
    done_new=st.integers(0, 200),
    done_reviews=st.integers(0, 2000),
)
def test_clipping_applies_the_limits_to_reviews_and_new_cards_only(
    learning_due, learning_ahead, reviews_due, new_available, new, reviews, done_new, done_reviews
):
    p = plan(new=new, reviews=reviews, done=DoneToday(new=done_new, reviews=done_reviews))
    counts = QueueCounts(learning_due, learning_ahead, reviews_due, new_available)
    clipped = counts.clipped(p)
    assert clipped.learning == learning_due + learning_ahead == counts.learning
    assert clipped.reviews_due == min(reviews_due, max(0, reviews - done_reviews))
    assert clipped.new_available == min(new_available, max(0, new - done_new))
    assert clipped.total == clipped.learning + clipped.reviews_due + clipped.new_available <= counts.total
    chosen = pick_bucket(clipped)
    assert (chosen is None) == (clipped.total == 0)


@dataclass
class Card:
    state: str
    due: datetime | None
    active: bool = True
    suspended: bool = False
    buried_until: datetime | None = None


# Under a plan at noon UTC, in a UTC day with a 04:00 rollover: [2026-03-01 04:00, 2026-03-02 04:00).
DAY_END = utc(2026, 3, 2, 4, 0)
TICK = timedelta(microseconds=1)


@pytest.mark.parametrize(
    ("state", "due", "bucket"),
    [
        ("new", None, Bucket.NEW),
        ("new", NOON + timedelta(days=9), Bucket.NEW),  # a new card's due time does not matter
        ("learning", NOON - timedelta(days=3), Bucket.LEARNING),
        ("learning", NOON, Bucket.LEARNING),
        ("learning", NOON + TICK, Bucket.LEARN_AHEAD),
        ("learning", NOON + LEARN_AHEAD, Bucket.LEARN_AHEAD),
        ("learning", NOON + LEARN_AHEAD + TICK, None),
        ("learning", NOON + timedelta(hours=3), None),  # later today, but not yet
        ("learning", None, None),
        ("relearning", NOON, Bucket.LEARNING),
        ("relearning", NOON + LEARN_AHEAD, Bucket.LEARN_AHEAD),
        ("relearning", NOON + LEARN_AHEAD + TICK, None),
        ("review", NOON - timedelta(days=30), Bucket.REVIEW),  # overdue
        ("review", utc(2026, 3, 1, 4, 0), Bucket.REVIEW),  # the day's first moment
        ("review", NOON + timedelta(minutes=5), Bucket.REVIEW),  # later today: a review, not learn-ahead
        ("review", DAY_END - TICK, Bucket.REVIEW),
        ("review", DAY_END, None),  # tomorrow's
        ("review", None, None),
        ("suspended", NOON, None),  # not a scheduling state
        (State.LEARNING, NOON, Bucket.LEARNING),  # the enum and its string are the same state
        (State.REVIEW, NOON, Bucket.REVIEW),
        (State.NEW, None, Bucket.NEW),
    ],
)
def test_each_state_and_due_time_at_the_edges(state, due, bucket):
    assert todays_bucket(Card(state, due), plan()) is bucket


@pytest.mark.parametrize(
    ("state", "due"), [("new", None), ("learning", NOON), ("relearning", NOON), ("review", NOON)]
)
def test_limits_reached_leave_learning_cards_only(state, due):
    spent = plan(new=5, reviews=50, done=DoneToday(new=5, reviews=50, total=55))
    shown = todays_bucket(Card(state, due), spent)
    assert (shown is Bucket.LEARNING) == (state in ("learning", "relearning"))
    if state not in ("learning", "relearning"):
        assert shown is None


@pytest.mark.parametrize(
    ("card", "shown"),
    [
        (Card("review", NOON, active=False), False),  # a deck the learner no longer studies
        (Card("learning", NOON, suspended=True), False),
        (Card("new", None, buried_until=NOON + TICK), False),
        (Card("review", NOON, buried_until=DAY_END), False),
        (Card("review", NOON, buried_until=NOON), True),  # buried until now: back now
        (Card("learning", NOON, buried_until=NOON - timedelta(days=1)), True),
    ],
)
def test_inactive_suspended_and_buried_cards_are_not_shown(card, shown):
    assert (todays_bucket(card, plan()) is not None) == shown


@given(
    state=st.sampled_from(["new", "learning", "relearning", "review"]),
    due_minutes=st.one_of(st.none(), st.integers(-3 * 24 * 60, 3 * 24 * 60)),
    active=st.booleans(),
    suspended=st.booleans(),
    buried_minutes=st.one_of(st.none(), st.integers(-24 * 60, 24 * 60)),
    new_left=st.integers(0, 2),
    reviews_left=st.integers(0, 2),
)
def test_a_card_is_shown_only_when_studied_unburied_and_due(
    state, due_minutes, active, suspended, buried_minutes, new_left, reviews_left
):
    p = plan(new=new_left, reviews=reviews_left)
    due = None if due_minutes is None else NOON + timedelta(minutes=due_minutes)
    buried = None if buried_minutes is None else NOON + timedelta(minutes=buried_minutes)
    bucket = todays_bucket(Card(state, due, active, suspended, buried), p)
    if not active or suspended or (buried is not None and buried > NOON):
        expected = None  # not studied, or buried
    elif state == "new":
        expected = Bucket.NEW if new_left else None
    elif due is None:
        expected = None
    elif state == "review":
        expected = Bucket.REVIEW if reviews_left and due < p.day.end else None
    elif due <= NOON:
        expected = Bucket.LEARNING
    else:
        expected = Bucket.LEARN_AHEAD if due - NOON <= timedelta(minutes=20) else None
    assert bucket is expected

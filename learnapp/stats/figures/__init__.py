"""A learner's statistics as numbers: pure functions of plain values. No Flask, no database, no clock.

The caller passes the answers (`Review` one by one, or `DayTally` counted per study day), the cards
(`CardRow` one by one, or `CardTally` counted alike), the learner's current study day (`today`) and, for
the forecast, the UTC start of that day (`day_start`); both come from `learnapp.srs.queue.learner_day`.

Days. Every answer carries `day`: the learner's study day *as it was when they answered*, i.e. the
`local_date` of `learner_day(reviewed_at, timezone, rollover_hour)` with the timezone and rollover hour the
learner had at that moment. A review at 01:00 local time with a 04:00 rollover belongs to the previous day,
and a later change of timezone (or of rollover hour) does not move old reviews to other days, so it cannot
break, or invent, a streak after the fact. Nothing here converts timestamps to days.

A review dated after `today` can exist right after a move westwards (the learner's new "today" is earlier
than the day they last studied on); such reviews count for streaks but fall outside the windowed figures
(heatmap, daily, today), which end at `today`.
"""

from learnapp.stats.figures.cards import (
    FORECAST_DAYS,
    MASTERED_STABILITY_DAYS,
    STATES,
    CardCounts,
    CardRow,
    CardTally,
    DeckProgress,
    ForecastDay,
    card_counts,
    deck_progress,
    due_offset,
    forecast,
    forecast_days,
    is_scheduled,
)
from learnapp.stats.figures.days import (
    DAILY_DAYS,
    HEAT_THRESHOLDS,
    HEATMAP_DAYS,
    CurrentStreak,
    DayTotals,
    HeatCell,
    Heatmap,
    Retention,
    RetentionPeriod,
    Streaks,
    TodaySummary,
    daily,
    day_streaks,
    heat_level,
    heatmap,
    history_start,
    retention,
    streaks,
    today_summary,
)
from learnapp.stats.figures.log import PASS_RATING, Answers, DayTally, Review, tally

__all__ = [
    "DAILY_DAYS",
    "FORECAST_DAYS",
    "HEATMAP_DAYS",
    "HEAT_THRESHOLDS",
    "MASTERED_STABILITY_DAYS",
    "PASS_RATING",
    "STATES",
    "Answers",
    "CardCounts",
    "CardRow",
    "CardTally",
    "CurrentStreak",
    "DayTally",
    "DayTotals",
    "DeckProgress",
    "ForecastDay",
    "HeatCell",
    "Heatmap",
    "Retention",
    "RetentionPeriod",
    "Review",
    "Streaks",
    "TodaySummary",
    "card_counts",
    "daily",
    "day_streaks",
    "deck_progress",
    "due_offset",
    "forecast",
    "forecast_days",
    "heat_level",
    "heatmap",
    "history_start",
    "is_scheduled",
    "retention",
    "streaks",
    "tally",
    "today_summary",
]

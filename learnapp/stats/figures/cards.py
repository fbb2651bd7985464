"""Figures of the learner's cards: how many in each state, the forecast of cards falling due, and each
deck's progress toward mastered. Cards come one by one (`CardRow`) or counted alike (`CardTally`, what the
service's GROUP BY returns); the forecast counts cards per day offset (`forecast_days`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from learnapp.srs.scheduler import State

STATES = tuple(State)
MASTERED_STABILITY_DAYS = 21.0  # a review card this stable is "mastered" (Anki's "mature" threshold)
FORECAST_DAYS = 30
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class CardRow:
    """One learner's state of one card."""

    deck_id: int
    state: str  # "new" | "learning" | "review" | "relearning"
    due: datetime | None  # aware, UTC
    suspended: bool
    stability: float | None  # days
    active: bool  # False once the learner left the deck or the entry is retired


@dataclass(frozen=True, slots=True)
class CardTally:
    """`count` cards of one deck alike in what the counts read: state, suspended, active, mastered."""

    deck_id: int
    state: str
    suspended: bool
    active: bool
    mastered: bool  # review state, stability >= MASTERED_STABILITY_DAYS
    count: int = 1

    @classmethod
    def of(cls, card: CardRow) -> CardTally:
        mastered = card.state == State.REVIEW and (card.stability or 0.0) >= MASTERED_STABILITY_DAYS
        return cls(card.deck_id, card.state, card.suspended, card.active, mastered)


Cards = Iterable[CardRow | CardTally]


def _check_state(state: str) -> None:
    if state not in STATES:
        raise ValueError(f"unknown card state {state!r}")


def _tallies(cards: Cards) -> list[CardTally]:
    """Every card as a tally (a row is a tally of one); an unknown state raises ValueError."""
    tallies = [card if isinstance(card, CardTally) else CardTally.of(card) for card in cards]
    for card in tallies:
        _check_state(card.state)
    return tallies


# -- states ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CardCounts:
    new: int = 0
    learning: int = 0  # learning and relearning
    review: int = 0
    suspended: int = 0  # suspended cards, whatever their state (counted only here)

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review + self.suspended


def card_counts(cards: Cards) -> CardCounts:
    """Active cards by state: new, learning (learning + relearning), review, and suspended.

    A suspended card counts only as suspended, not under its state. Inactive cards (a deck the learner
    left, a retired entry) are not counted. An unknown state raises ValueError.
    """
    counts: Counter[str] = Counter()
    for card in _tallies(cards):
        if not card.active:
            continue
        if card.suspended:
            counts["suspended"] += card.count
        elif card.state in (State.NEW, State.REVIEW):
            counts[card.state] += card.count
        else:
            counts["learning"] += card.count
    return CardCounts(
        new=counts["new"], learning=counts["learning"], review=counts["review"], suspended=counts["suspended"]
    )


# -- forecast -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ForecastDay:
    offset: int  # 0 today, 1 tomorrow, ...
    count: int  # cards due that day (day 0 includes the overdue ones)
    overdue: int = 0  # of the count, cards due before today's start (day 0 only)


def is_scheduled(card: CardRow) -> bool:
    """Counts in the forecast: active, not suspended, past the new state, with a due time."""
    return card.active and not card.suspended and card.state != State.NEW and card.due is not None


def due_offset(due: datetime, day_start: datetime) -> int:
    """The learner day a due time falls on, counted from today (0); negative when overdue."""
    return (due - day_start) // ONE_DAY


def forecast(cards: Iterable[CardRow], day_start: datetime, days: int = FORECAST_DAYS) -> list[ForecastDay]:
    """Cards falling due per learner day, offsets 0 .. days - 1.

    Counts active, unsuspended cards in the learning, review or relearning state that have a due time.
    `day_start` is the aware UTC start of the learner's today; a card's offset is
    floor((due - day_start) / 24 h). Cards due before day_start (overdue) go to day 0 and are also
    counted in its `overdue`; cards due on or after day `days` are left out. Days are counted as 24 hours
    from day_start, so across a daylight-saving change a card due within an hour of the rollover hour can
    land on the neighbouring day.
    """
    offsets: Counter[int] = Counter()
    for card in cards:
        _check_state(card.state)
        if is_scheduled(card):
            assert card.due is not None
            offsets[due_offset(card.due, day_start)] += 1
    return forecast_days(offsets, days)


def forecast_days(due: Mapping[int, int], days: int = FORECAST_DAYS) -> list[ForecastDay]:
    """The forecast from cards counted per day offset (negative offsets: overdue, counted on day 0)."""
    overdue = sum(count for offset, count in due.items() if offset < 0)
    return [
        ForecastDay(
            offset=offset,
            count=due.get(offset, 0) + (overdue if offset == 0 else 0),
            overdue=overdue if offset == 0 else 0,
        )
        for offset in range(days)
    ]


# -- decks ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeckProgress:
    deck_id: int
    title: str  # as given; escaped when drawn
    total: int
    seen: int  # no longer new
    mastered: int  # review state, stability >= MASTERED_STABILITY_DAYS

    @property
    def percent(self) -> float:
        """Mastered cards in percent of the deck, to one decimal (0 for an empty deck)."""
        return round(100 * self.mastered / self.total, 1) if self.total else 0.0

    @property
    def seen_percent(self) -> float:
        return round(100 * self.seen / self.total, 1) if self.total else 0.0


def deck_progress(cards: Cards, titles: Mapping[int, str]) -> list[DeckProgress]:
    """Per deck in `titles` (in its order): active cards, seen cards and mastered cards.

    total: the learner's active cards of the deck, suspended ones included. seen: those not in the new
    state. mastered: those in the review state with stability >= MASTERED_STABILITY_DAYS (21 days).
    percent: mastered / total. Cards of decks not in `titles` are ignored; a deck without cards has 0.
    """
    total: Counter[int] = Counter()
    seen: Counter[int] = Counter()
    mastered: Counter[int] = Counter()
    for card in _tallies(cards):
        if not card.active or card.deck_id not in titles:
            continue
        total[card.deck_id] += card.count
        if card.state != State.NEW:
            seen[card.deck_id] += card.count
        if card.mastered:
            mastered[card.deck_id] += card.count
    return [
        DeckProgress(
            deck_id=deck_id, title=title, total=total[deck_id], seen=seen[deck_id], mastered=mastered[deck_id]
        )
        for deck_id, title in titles.items()
    ]

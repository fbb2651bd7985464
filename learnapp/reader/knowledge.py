"""What the learner knows of each word, for the reader's colours: ONE query of their card states over the
entries of those headwords in any deck. Known: a card in review whose FSRS stability is at least
`KNOWN_STABILITY_DAYS` (21 days, the statistics' "mastered"); learning: any other card they study, or have
studied (a review card less stable than that included); new: in none of their decks."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, or_, select

from learnapp.extensions import db
from learnapp.models import Card, CardState, Entry
from learnapp.srs import State
from learnapp.stats.figures import MASTERED_STABILITY_DAYS

KNOWN, LEARNING, NEW = "known", "learning", "new"
STATE_LABELS = {KNOWN: "Known", LEARNING: "Learning", NEW: "New to you"}
# A word is known once one of its cards is in review and FSRS expects it to be recalled (90%) after this
# many days: the statistics' "mastered" threshold (Anki's "mature"), so the two pages agree.
KNOWN_STABILITY_DAYS = MASTERED_STABILITY_DAYS


def knowledge(user_id: int, keys: Iterable[str]) -> dict[str, str]:
    """Known or learning for each headword of `keys` the learner has cards for (one query: the entries of
    those headwords in any deck, their cards, the learner's states of them); the rest are new to them.
    Known: a card in review with a stability of `KNOWN_STABILITY_DAYS` or more. Learning: any other card
    they study, or have studied."""
    wanted = sorted(set(keys))
    if not wanted:
        return {}
    rows = db.session.execute(
        select(Entry.headword, CardState.state, CardState.stability)
        .select_from(Entry)
        .join(Card, Card.entry_id == Entry.id)
        .join(CardState, and_(CardState.card_id == Card.id, CardState.user_id == user_id))
        .where(Entry.headword.in_(wanted), or_(CardState.active, CardState.state != str(State.NEW)))
    )
    states: dict[str, str] = {}
    for headword, state, stability in rows:
        if state == State.REVIEW and (stability or 0.0) >= KNOWN_STABILITY_DAYS:
            states[headword] = KNOWN
        else:
            states.setdefault(headword, LEARNING)
    return states

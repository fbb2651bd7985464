"""Returning learners with a history, written through the real tables after `flask decks load`.

Each account is enrolled in some of the shipped decks (the app's own `sync_card_states` makes their card
states), then given a past: about two thirds of their cards in review with a stability, difficulty and
last review consistent with the due date, the rest still new. Half the learners kept up (a few dozen
reviews due today), the other half were away for up to two weeks and have more due than their daily
limit (a backlog, served lowest retrievability first). Every value is a deterministic function of the
user, the card and `now`; the password hash is computed once and shared (scrypt costs ~0.2 s each).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import bindparam, insert, select, update

PASSWORD = "load test password"  # noqa: S105 (the simulated learners' password, on a throwaway database)
CHUNK = 5_000
_SCHEDULING = ("state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses")


def local_afternoon(now: datetime, rollover_hour: int = 4) -> str:
    """A fixed-offset timezone in which `now` is 12 hours past the learner's day rollover, so a run of a
    few minutes stays inside one learner day whenever it starts (Etc/GMT-N is UTC+N)."""
    offset = (rollover_hour + 12 - now.hour) % 24
    if offset > 14:
        offset -= 24
    return "UTC" if offset == 0 else f"Etc/GMT{-offset:+d}"


def initial(user_id: int, card_id: int, now: datetime, day_start: datetime, backlog: bool) -> dict:
    """A card state's scheduling columns at `now` for this learner."""
    rng = random.Random(user_id * 1_000_003 + card_id)
    values = {"buried_until": None, "suspended": False, "leech": False, "version": 0}
    if rng.random() < 0.35:
        return values | {name: None for name in _SCHEDULING} | {"state": "new", "reps": 0, "lapses": 0}
    if rng.random() < (0.6 if backlog else 0.12):
        since = day_start - timedelta(days=14 if backlog else 0)
        due = since + (now - since) * rng.random()
    else:
        due = now + timedelta(days=rng.uniform(1, 90))
    ahead = max(0.0, (due - now).total_seconds() / 86_400)
    stability = ahead + rng.uniform(0.5, 30.0)
    lapses = rng.choice((0, 0, 0, 0, 1, 1, 2))
    return values | {
        "state": "review",
        "step": None,
        "stability": stability,
        "difficulty": rng.uniform(2.0, 9.0),
        "due": due,
        "last_review": due - timedelta(days=stability),
        "reps": 2 + lapses + rng.randrange(10),
        "lapses": lapses,
    }


def seed_learners(
    prefix: str,
    count: int,
    deck_slugs: tuple[str, ...],
    now: datetime,
    reviews_per_day: int = 200,
    new_per_day: int = 10,
) -> list[str]:
    """`count` returning learners named <prefix>00001..., in the current app context. Returns the
    usernames. Commits."""
    from werkzeug.security import generate_password_hash

    from learnapp.auth.service import PASSWORD_METHOD
    from learnapp.decks.card_states import sync_card_states
    from learnapp.extensions import db
    from learnapp.models import CardState, Deck, Enrollment, User
    from learnapp.srs import learner_day

    timezone = local_afternoon(now)
    joined = now - timedelta(days=120)
    password_hash = generate_password_hash(PASSWORD, method=PASSWORD_METHOD)
    names = [f"{prefix}{number:05d}" for number in range(1, count + 1)]
    db.session.execute(
        insert(User),
        [
            {
                "username": name,
                "username_key": name,
                "email": f"{name}@example.com",
                "password_hash": password_hash,
                "timezone": timezone,
                "new_per_day": new_per_day,
                "reviews_per_day": reviews_per_day,
                "preferences": {},
                "onboarding_step": "done",
                "created_at": joined,
            }
            for name in names
        ],
    )
    users = dict(db.session.execute(select(User.username, User.id).where(User.username.in_(names))).all())
    decks = dict(db.session.execute(select(Deck.slug, Deck.id).where(Deck.slug.in_(deck_slugs))).all())
    missing = set(deck_slugs) - set(decks)
    if missing:
        raise RuntimeError(f"decks not loaded: {', '.join(sorted(missing))} (run flask decks load)")
    rng = random.Random(count)
    chosen: dict[int, list[int]] = {}
    for name in names:  # two or three of the decks each, the first always (a common starter)
        others = rng.sample(list(deck_slugs[1:]), k=min(len(deck_slugs) - 1, rng.choice((1, 2))))
        chosen[users[name]] = [decks[slug] for slug in (deck_slugs[0], *others)]
    db.session.execute(
        insert(Enrollment),
        [
            {"user_id": user_id, "deck_id": deck_id, "active": True, "pending": False, "enrolled_at": joined}
            for user_id, deck_ids in chosen.items()
            for deck_id in deck_ids
        ],
    )
    for deck_id in decks.values():
        sync_card_states(deck_id)
    day_start = learner_day(now, timezone, 4).start
    table = CardState.__table__
    columns = (*_SCHEDULING, "buried_until", "suspended", "leech", "version")
    statement = (
        update(table)
        .where(table.c.user_id == bindparam("b_user_id"), table.c.card_id == bindparam("b_card_id"))
        .values({name: bindparam(f"v_{name}", type_=table.c[name].type) for name in columns})
    )
    ids = list(users.values())
    for start in range(0, len(ids), 200):
        batch = ids[start : start + 200]
        rows = db.session.execute(
            select(CardState.user_id, CardState.card_id).where(CardState.user_id.in_(batch))
        ).all()
        params = [
            {"b_user_id": user_id, "b_card_id": card_id}
            | {
                f"v_{name}": value
                for name, value in initial(user_id, card_id, now, day_start, backlog=user_id % 2 == 0).items()
            }
            for user_id, card_id in rows
        ]
        for chunk in range(0, len(params), CHUNK):
            db.session.execute(statement, params[chunk : chunk + CHUNK])
    db.session.commit()
    return names

"""The soak's consistency check, read from the database after the run.

- Every answer the clients saw accepted (200 for htmx, 303 for a plain form; card id and version as
  submitted) has exactly one review-log row. A row is matched by (learner, card, reps before the answer):
  in the soak nothing but answers changes a card state, and an answer moves `version` and `reps` by one
  each, so `version - reps` of the card state now is the same as when the answer was made, and the row's
  `before["reps"]` is the submitted version minus that. No row: lost. Two rows for one answer: doubled
  (counted over every row, seen or not).
- Every card state agrees with its newest (not undone) review-log row's `after`.
- SQLite: `PRAGMA integrity_check` says ok.
Rows no client saw accepted (the request was cut off by a kill, or by the end of the run) are counted
and shown, not failed: the learner's retry, had there been one, would have applied nothing.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, select, text


@dataclass
class Consistency:
    answers_seen: int = 0  # distinct accepted answers (a retried answer counts once)
    log_rows: int = 0
    lost: int = 0
    doubled: int = 0
    inconsistent: int = 0
    unconfirmed: int = 0  # rows no client saw accepted
    integrity: str = "n/a"
    examples: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.lost or self.doubled or self.inconsistent) and self.integrity in ("ok", "n/a")


def check(database_url: str, answers_file: Path, usernames: list[str]) -> Consistency:
    from learnapp.models import CardState, ReviewLog, User
    from learnapp.srs.scheduler import SchedulingState

    result = Consistency()
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            users = dict(
                connection.execute(select(User.username, User.id).where(User.username.in_(usernames))).all()
            )
            ids = list(users.values())
            states = {
                (row.user_id, row.card_id): row
                for row in connection.execute(select(CardState.__table__).where(CardState.user_id.in_(ids)))
            }
            logs = connection.execute(
                select(ReviewLog.id, ReviewLog.user_id, ReviewLog.card_id, ReviewLog.before, ReviewLog.after)
                .where(ReviewLog.user_id.in_(ids), ReviewLog.undone.is_(False))
                .order_by(ReviewLog.id)
            ).all()
            if engine.dialect.name == "sqlite":
                result.integrity = connection.execute(text("PRAGMA integrity_check")).scalar()
    finally:
        engine.dispose()

    result.log_rows = len(logs)
    rows_by_answer = Counter((log.user_id, log.card_id, log.before["reps"]) for log in logs)
    for key, count in rows_by_answer.items():
        if count > 1:
            result.doubled += count - 1
            result.examples.append(f"doubled: user {key[0]} card {key[1]} reps {key[2]}: {count} rows")

    seen: set[tuple[int, int, int]] = set()
    for line in answers_file.read_text().splitlines() if answers_file.exists() else []:
        answer = json.loads(line)
        user_id = users.get(answer["user"])
        if user_id is None:
            continue
        state = states.get((user_id, int(answer["card_id"])))
        if state is None:
            result.lost += 1
            result.examples.append(f"lost: no card state for {answer}")
            continue
        seen.add((user_id, state.card_id, int(answer["version"]) - (state.version - state.reps)))
    result.answers_seen = len(seen)
    for key in seen:
        if rows_by_answer.get(key, 0) == 0:
            result.lost += 1
            result.examples.append(
                f"lost: user {key[0]} card {key[1]} reps before {key[2]}: no review-log row"
            )
    result.unconfirmed = sum(1 for key in rows_by_answer if key not in seen)

    newest = {}
    for log in logs:  # ordered by id: the last one wins
        newest[(log.user_id, log.card_id)] = log
    for key, log in newest.items():
        state = states[key]
        now = SchedulingState(
            state=state.state,
            step=state.step,
            stability=state.stability,
            difficulty=state.difficulty,
            due=state.due,
            last_review=state.last_review,
            reps=state.reps,
            lapses=state.lapses,
        )
        if now != SchedulingState.from_dict(log.after):
            result.inconsistent += 1
            result.examples.append(
                f"inconsistent: user {key[0]} card {key[1]}: {now} vs log {log.id} {log.after}"
            )
    result.examples = result.examples[:10]
    return result

"""The statements of the custom sessions outside the day's queue: today's failed cards (whose latest
answer today was Again) and reviews due in the next few days (study ahead)."""

from __future__ import annotations

from sqlalchemy import Integer, and_, bindparam, func, select

from learnapp.models import UTCDateTime
from learnapp.srs import Rating, State
from learnapp.study.queries import (
    COUNT_CAP,
    CS,
    DAY_END,
    DAY_START,
    FACE_COLUMNS,
    FACE_FROM,
    LOGS,
    USER,
    constant,
)
from learnapp.study.sql import Prepared

# ---- custom sessions outside the day's queue: today's failed cards, reviews due ahead ------------------

_latest = LOGS.alias("latest")
_FAILED_TODAY = CS.c.card_id.in_(
    select(LOGS.c.card_id).where(
        LOGS.c.user_id == USER,
        LOGS.c.reviewed_at >= DAY_START,
        ~LOGS.c.undone,
        LOGS.c.rating == constant(int(Rating.AGAIN)),
        LOGS.c.id
        == select(func.max(_latest.c.id))
        .where(_latest.c.user_id == LOGS.c.user_id, _latest.c.card_id == LOGS.c.card_id, ~_latest.c.undone)
        .scalar_subquery(),
    )
)
_AHEAD = and_(
    CS.c.state == constant(State.REVIEW),
    CS.c.due >= DAY_END,
    CS.c.due < bindparam("ahead_end", type_=UTCDateTime()),
)
_CUSTOM_WHERE = {"failed": _FAILED_TODAY, "ahead": _AHEAD}
_CUSTOM_ORDER = {"failed": (CS.c.last_review, CS.c.card_id), "ahead": (CS.c.due, CS.c.card_id)}
_CUSTOM_ACTIVE = and_(CS.c.user_id == USER, CS.c.active, ~CS.c.suspended)
CUSTOM_COUNT = {
    kind: Prepared(
        select(func.count()).select_from(
            select(constant(1)).where(_CUSTOM_ACTIVE, where).limit(COUNT_CAP).subquery()
        ),
        f"custom.{kind}.count",
    )
    for kind, where in _CUSTOM_WHERE.items()
}
CUSTOM_HEAD = {
    kind: Prepared(
        select(*FACE_COLUMNS)
        .select_from(FACE_FROM)
        .where(_CUSTOM_ACTIVE, where)
        .order_by(*_CUSTOM_ORDER[kind])
        .limit(1),
        f"custom.{kind}.head",
    )
    for kind, where in _CUSTOM_WHERE.items()
}
IN_CUSTOM = {
    kind: Prepared(
        select(CS.c.card_id).where(
            _CUSTOM_ACTIVE, where, CS.c.card_id == bindparam("card_id", type_=Integer())
        ),
        f"custom.{kind}.contains",
    )
    for kind, where in _CUSTOM_WHERE.items()
}

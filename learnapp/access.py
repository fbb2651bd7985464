"""Who may see or change what: decks, their entries, classes, roles. Every service asks here.

Invisible things are NotFound (a 404, as if they did not exist): another user's private deck, another
teacher's class. Visible things a user may not change are Forbidden (a 403): a public deck someone else
wrote, the teacher pages for a learner.

Who sees a deck is one rule (`can_view`, and `visible_to`/`deck_shown_to` for queries): public and unlisted
decks anyone with the link, a private deck its author and admins only. Studying a deck grants nothing: when
a deck becomes private, its other learners no longer see its content anywhere (deck page, sessions, lists,
stats, leeches, offline pack). What they keep is their own: the enrollment, card states and review log stay
(the card states inactive, `decks.card_states.sync_card_states`), and the deck made visible again brings their
progress back. A class's decks are never private (a deck assigned to a class can't be made private, and a
private deck can't be assigned), so class members always see them.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.orm import InstrumentedAttribute

from learnapp.errors import Forbidden, NotFound
from learnapp.extensions import db
from learnapp.models import Classroom, Deck, User

NO_DECK = "There is no deck at this address."
NO_CLASS = "There is no class at this address."


def is_admin(user: User) -> bool:
    return user.role == "admin"


def is_teacher(user: User) -> bool:
    """Teachers and admins author decks and run classes."""
    return user.role in ("teacher", "admin")


def require_teacher(user: User) -> None:
    if not is_teacher(user):
        raise Forbidden(
            "Only teachers can do this. If you teach, ask a teacher or an admin for a teacher invite code."
        )


def require_admin(user: User) -> None:
    if not is_admin(user):
        raise Forbidden("Only admins can do this.")


def can_invite(user: User) -> bool:
    """Admins, and teachers an admin has allowed to, hand out teacher invite codes."""
    return is_admin(user) or (user.role == "teacher" and user.can_invite)


# ---- decks and their entries -------------------------------------------------------------------------


def can_view(deck: Deck, user: User | None) -> bool:
    """Public and unlisted decks are for anyone with the link; a private deck only for its author and
    admins (everyone else gets a 404, as if it did not exist)."""
    if deck.visibility != "private":
        return True
    return user is not None and (
        user.role == "admin" or (deck.author_id is not None and deck.author_id == user.id)
    )


def can_edit(user: User, deck: Deck) -> bool:
    """A deck's author (while a teacher) or an admin; shipped decks change only through their file."""
    if deck.author_id is None:
        return False
    return is_admin(user) or (is_teacher(user) and deck.author_id == user.id)


def can_export(user: User, deck: Deck) -> bool:
    """Whoever may edit the deck, and admins for shipped decks too."""
    return is_admin(user) or can_edit(user, deck)


def visible_to(user: User | None) -> ColumnElement[bool]:
    """`can_view` as an SQL condition on `Deck`, for queries that list decks or their content."""
    if user is None:
        return Deck.visibility != "private"
    if is_admin(user):
        return true()
    return or_(Deck.visibility != "private", Deck.author_id == user.id)


def shown_by_params(user_id: ColumnElement[int], admin: ColumnElement[bool]) -> ColumnElement[bool]:
    """`can_view` as an SQL condition on `Deck` for a statement built once, the user given as bind
    parameters (their id, and whether they are an admin)."""
    return or_(Deck.visibility != "private", Deck.author_id == user_id, admin)


def deck_shown_to(
    deck: Deck, user_id: ColumnElement[int] | InstrumentedAttribute[int]
) -> ColumnElement[bool]:
    """`can_view` of one deck as an SQL condition on a column of user ids (a bulk update of its learners'
    card states): everyone for a deck that is not private, else its author and admins."""
    if deck.visibility != "private":
        return true()
    admins = select(User.id).where(User.role == "admin")
    author = user_id == deck.author_id if deck.author_id is not None else false()
    return or_(author, user_id.in_(admins))


def visible_deck(user: User | None, slug: str) -> Deck:
    """The deck at `slug` if `user` (None: a visitor) may see it; NotFound otherwise (a learner who studied
    it before it was made private too)."""
    deck = db.session.scalar(select(Deck).where(Deck.slug == slug))
    if deck is None or not can_view(deck, user):
        raise NotFound(NO_DECK)
    return deck


def deck_for_editing(user: User, slug: str) -> Deck:
    """The deck at `slug` if `user` may edit it: NotFound if they cannot see it, Forbidden otherwise."""
    deck = visible_deck(user, slug)
    if deck.author_id is None:
        raise Forbidden(
            "This deck ships with Huanying and is loaded from its deck file: change the file in decks/ and "
            "run `flask decks load`."
        )
    if not can_edit(user, deck):
        raise Forbidden("Only the deck's author can change it.")
    return deck


def deck_for_export(user: User, slug: str) -> Deck:
    """The deck at `slug` if `user` may export it (`can_export`): NotFound if they cannot see it, Forbidden
    otherwise."""
    deck = visible_deck(user, slug)
    if not can_export(user, deck):
        raise Forbidden("Only the deck's author can export it.")
    return deck


# ---- classes --------------------------------------------------------------------------------------------


def teaches(user: User, classroom: Classroom) -> bool:
    """The class's own teacher (while a teacher). Only they publish readings to it; admins run it too
    (`class_for_teacher`)."""
    return is_teacher(user) and classroom.teacher_id == user.id


def class_for_teacher(user: User, class_id: int) -> Classroom:
    """A class its teacher (or an admin) runs; NotFound for everyone else, classes are not listed."""
    classroom = db.session.get(Classroom, class_id)
    if classroom is None or not (is_admin(user) or teaches(user, classroom)):
        raise NotFound(NO_CLASS)
    return classroom

"""Who may do what in the teaching features. Every teach service starts with one of these checks.

Invisible things are NotFound (a 404, as if they did not exist): another user's private deck, another
teacher's class. Visible things a user may not change are Forbidden (a 403): a public deck someone else
wrote, the teacher pages for a learner.
"""

from __future__ import annotations

from sqlalchemy import select

from learnapp.decks.service import can_view
from learnapp.errors import NotFound, UserError
from learnapp.extensions import db
from learnapp.models import Classroom, Deck, User

NO_DECK = "There is no deck at this address."
NO_CLASS = "There is no class at this address."


class Forbidden(UserError):
    """Visible, but not yours to change."""

    status = 403


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


def can_edit(user: User, deck: Deck) -> bool:
    """A deck's author (while a teacher) or an admin; shipped decks change only through their file."""
    if deck.author_id is None:
        return False
    return is_admin(user) or (is_teacher(user) and deck.author_id == user.id)


def visible_deck(user: User, slug: str) -> Deck:
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


def class_for_teacher(user: User, class_id: int) -> Classroom:
    """A class its teacher (or an admin) runs; NotFound for everyone else, classes are not listed."""
    classroom = db.session.get(Classroom, class_id)
    if classroom is None or not (is_admin(user) or (is_teacher(user) and classroom.teacher_id == user.id)):
        raise NotFound(NO_CLASS)
    return classroom

"""Deleting an account and everything about it: one transaction that deletes explicitly, children before
parents, so it does not depend on ON DELETE CASCADE (SQLite only honours it with the foreign_keys pragma).
"""

from __future__ import annotations

from sqlalchemy import Executable, delete, or_, select, update

from learnapp.auth.service import confirm_password
from learnapp.database import transaction
from learnapp.extensions import db
from learnapp.models import (
    Card,
    CardState,
    ClassDeck,
    ClassMember,
    ClassReading,
    Classroom,
    Deck,
    DeckImport,
    Enrollment,
    Entry,
    Job,
    MyWord,
    Nickname,
    OutboxMail,
    ReaderText,
    ReadingOpen,
    ReviewLog,
    TeacherInvite,
    User,
    UserSession,
)
from learnapp.observability import audit
from learnapp.ratelimit import LoginFailures

WRONG_PASSWORD = "That isn't your password. Nothing was deleted."  # noqa: S105 (a message)


def delete_account(user: User, password: str, failures: LoginFailures) -> None:
    """Delete the account and everything about it, in one transaction, after checking the password.

    Decks the user authored go too, with their entries, cards and every learner's progress on them;
    classes they teach go with their members and assignments. Raises UserError (field "password") on a
    wrong password, having changed nothing; a wrong password counts as a failed login of the account.
    """
    confirm_password(user, password, failures, field="password", wrong=WRONG_PASSWORD)
    _delete(user)


@transaction()
def _delete(user: User) -> None:
    user_id = user.id
    deck_ids, class_ids = _lock_what_goes(user_id)
    audit("account_deleted", user_id=user_id, decks=len(deck_ids), classes=len(class_ids))
    for statement in _deletions(user_id, deck_ids, class_ids):
        db.session.execute(statement, execution_options={"synchronize_session": False})
    db.session.expunge_all()  # nothing loaded before may be written back


def _lock_what_goes(user_id: int) -> tuple[list[int], list[int]]:
    """Lock the user, their decks and their classes; their decks' and classes' ids."""
    # Lock the user's row first (PostgreSQL: FOR UPDATE also holds back any insert that references it;
    # SQLite: the write takes the database's write lock), so nothing the user owns can appear between
    # reading the ids below and deleting them. The write also ends every session at once.
    db.session.execute(select(User.id).where(User.id == user_id).with_for_update())
    db.session.execute(
        update(User).where(User.id == user_id).values(session_version=User.session_version + 1),
        execution_options={"synchronize_session": False},
    )
    # Lock the decks and classes that go, so no one enrolls in or joins them meanwhile.
    deck_ids = list(db.session.scalars(select(Deck.id).where(Deck.author_id == user_id).with_for_update()))
    class_ids = list(
        db.session.scalars(select(Classroom.id).where(Classroom.teacher_id == user_id).with_for_update())
    )
    return deck_ids, class_ids


def _deletions(user_id: int, deck_ids: list[int], class_ids: list[int]) -> list[Executable]:
    """The statements that delete the user and everything about them, in an order the foreign keys take."""
    deck_cards = select(Card.id).where(Card.deck_id.in_(deck_ids))
    texts = select(ReaderText.id).where(ReaderText.user_id == user_id)
    readings = select(ClassReading.id).where(
        or_(ClassReading.class_id.in_(class_ids), ClassReading.text_id.in_(texts))
    )
    return [
        # The reader: their texts (and the class readings of them or of their classes), the words they kept,
        # and everyone's kept words from their decks.
        delete(ReadingOpen).where(or_(ReadingOpen.user_id == user_id, ReadingOpen.reading_id.in_(readings))),
        delete(ClassReading).where(ClassReading.id.in_(readings)),
        delete(MyWord).where(
            or_(
                MyWord.user_id == user_id,
                MyWord.entry_id.in_(select(Entry.id).where(Entry.deck_id.in_(deck_ids))),
            )
        ),
        update(MyWord).where(MyWord.text_id.in_(texts)).values(text_id=None),
        delete(ReaderText).where(ReaderText.user_id == user_id),
        # Study data: the user's own, and everyone's on the user's decks.
        delete(ReviewLog).where(or_(ReviewLog.user_id == user_id, ReviewLog.card_id.in_(deck_cards))),
        delete(CardState).where(
            or_(
                CardState.user_id == user_id,
                CardState.deck_id.in_(deck_ids),
                CardState.card_id.in_(deck_cards),
            )
        ),
        delete(Enrollment).where(or_(Enrollment.user_id == user_id, Enrollment.deck_id.in_(deck_ids))),
        # Teaching: assignments and members of the user's classes (and of theirs on others' classes).
        delete(ClassDeck).where(or_(ClassDeck.class_id.in_(class_ids), ClassDeck.deck_id.in_(deck_ids))),
        delete(ClassMember).where(or_(ClassMember.user_id == user_id, ClassMember.class_id.in_(class_ids))),
        delete(Classroom).where(Classroom.id.in_(class_ids)),
        # Invites they made or redeemed: deleted, so a used code can never be redeemed again.
        delete(TeacherInvite).where(
            or_(TeacherInvite.created_by == user_id, TeacherInvite.used_by == user_id)
        ),
        delete(DeckImport).where(or_(DeckImport.user_id == user_id, DeckImport.deck_id.in_(deck_ids))),
        delete(Nickname).where(Nickname.user_id == user_id),
        delete(Job).where(Job.user_id == user_id),
        delete(OutboxMail).where(OutboxMail.user_id == user_id),
        delete(UserSession).where(UserSession.user_id == user_id),  # every device is logged out
        # The user's decks: cards, then entries, then the decks.
        delete(Card).where(Card.deck_id.in_(deck_ids)),
        delete(Entry).where(Entry.deck_id.in_(deck_ids)),
        delete(Deck).where(Deck.id.in_(deck_ids)),
        delete(User).where(User.id == user_id),
    ]

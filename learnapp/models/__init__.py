"""SQLAlchemy models, one module an aggregate. Import them from here."""

from learnapp.content.deckfile import CARD_KINDS, CATEGORIES
from learnapp.models.content import VISIBILITIES, Card, Deck, Enrollment, Entry
from learnapp.models.nickname import Nickname
from learnapp.models.study import CardState, ReviewLog
from learnapp.models.teaching import ClassDeck, ClassMember, Classroom, DeckImport, TeacherInvite
from learnapp.models.types import UTCDateTime, utcnow
from learnapp.models.user import ROLES, User

__all__ = [
    "CARD_KINDS",
    "CATEGORIES",
    "ROLES",
    "VISIBILITIES",
    "Card",
    "CardState",
    "ClassDeck",
    "ClassMember",
    "Classroom",
    "Deck",
    "DeckImport",
    "Enrollment",
    "Entry",
    "Nickname",
    "ReviewLog",
    "TeacherInvite",
    "UTCDateTime",
    "User",
    "utcnow",
]

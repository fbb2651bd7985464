"""SQLAlchemy models, one module an aggregate. Import them from here."""

from learnapp.content.entry import CARD_KINDS, CATEGORIES
from learnapp.models.content import VISIBILITIES, Card, Deck, Enrollment, Entry
from learnapp.models.job import JOB_STATUSES, Job
from learnapp.models.mail import MAIL_STATUSES, OutboxMail
from learnapp.models.nickname import Nickname
from learnapp.models.reader import ClassReading, MyWord, ReaderText, ReadingOpen
from learnapp.models.session import RateLimitCounter, UserSession
from learnapp.models.study import CardState, ReviewLog
from learnapp.models.teaching import ClassDeck, ClassMember, Classroom, DeckImport, TeacherInvite
from learnapp.models.types import UTCDateTime, utcnow
from learnapp.models.user import DEFAULT_REMINDER_MINUTE, ROLES, User

__all__ = [
    "CARD_KINDS",
    "CATEGORIES",
    "DEFAULT_REMINDER_MINUTE",
    "JOB_STATUSES",
    "MAIL_STATUSES",
    "ROLES",
    "VISIBILITIES",
    "Card",
    "CardState",
    "ClassDeck",
    "ClassMember",
    "ClassReading",
    "Classroom",
    "Deck",
    "DeckImport",
    "Enrollment",
    "Entry",
    "Job",
    "MyWord",
    "Nickname",
    "OutboxMail",
    "RateLimitCounter",
    "ReaderText",
    "ReadingOpen",
    "ReviewLog",
    "TeacherInvite",
    "UTCDateTime",
    "User",
    "UserSession",
    "utcnow",
]

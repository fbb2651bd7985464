"""Shared helpers for the teaching tests (no tests in here): accounts with a role, logged-in clients, and a
small world of two teachers' decks and a class built through the real services."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from learnapp.classes import service as classes
from learnapp.classes.service import ClassFields
from learnapp.extensions import db
from learnapp.models import (
    Card,
    CardState,
    ClassDeck,
    ClassMember,
    Classroom,
    Deck,
    DeckImport,
    Enrollment,
    Entry,
    TeacherInvite,
    User,
)
from learnapp.teach import editor, imports
from learnapp.teach.editor import DeckFields, EntryFields
from tests.conftest import AuthActions, csrf_from
from tests.factories import T0

PASSWORD = "correct horse"


@cache
def _password_hash() -> str:
    # A cheap hash: these accounts log in through the real form hundreds of times (scrypt is slow on
    # purpose, and the auth tests cover it).
    return generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


def make_account(
    username: str, role: str = "learner", can_invite: bool = False, timezone: str = "UTC"
) -> User:
    """An account past onboarding, with a role, made without the sign-up form (tests that need the form
    use `auth.signup`)."""
    user = User(
        username=username,
        username_key=username.lower(),
        email=f"{username}@example.com",
        password_hash=_password_hash(),
        role=role,
        can_invite=can_invite,
        timezone=timezone,
        created_at=T0,
        preferences={},
        onboarding_step="done",
    )
    db.session.add(user)
    db.session.commit()
    return user


def client_for(app, user: User | None):
    """A test client logged in as `user` (None: a visitor)."""
    client = app.test_client()
    if user is not None:
        response = AuthActions(client).login(user.username, PASSWORD)
        assert response.status_code == 303, "login failed"
    return client


def token(client, logged_in: bool = True) -> str:
    """A CSRF token of the client's session, from a page with a form."""
    return csrf_from(client.get("/join" if logged_in else "/login").get_data(as_text=True))


def htmx(headers: dict | None = None) -> dict:
    return {"HX-Request": "true", **(headers or {})}


@dataclass
class World:
    owner: User  # a teacher who may hand out invites
    other: User  # another teacher
    learner: User
    admin: User
    member: User  # a learner in the owner's class
    public_slug: str
    private_slug: str
    public_key: str  # an entry of the public deck
    private_key: str
    class_id: int
    join_code: str
    import_token: str  # the owner's pending import into the public deck


def build_world(now=T0) -> World:
    owner = make_account("olive", "teacher", can_invite=True)
    other = make_account("oscar", "teacher")
    learner = make_account("lily")
    admin = make_account("ada", "admin")
    member = make_account("mo")
    public = editor.create_deck(owner, DeckFields(title="Public deck", visibility="public"), now)
    first = editor.add_entry(owner, public.slug, EntryFields(headword="谢谢", meaning="thanks"), now)
    editor.add_entry(owner, public.slug, EntryFields(headword="你好", meaning="hello"), now)
    private = editor.create_deck(owner, DeckFields(title="Secret deck", visibility="private"), now)
    secret = editor.add_entry(owner, private.slug, EntryFields(headword="秘密", meaning="secret"), now)
    classroom = classes.create_class(owner, ClassFields(name="Class A"), now)
    classes.assign_deck(owner, classroom.id, public.slug, now)
    classes.join(member, classroom.join_code, now)
    pending = imports.preview_upload(
        owner, public.slug, "more.csv", "headword,meaning\n再见,goodbye\n".encode(), now
    )
    return World(
        owner=owner,
        other=other,
        learner=learner,
        admin=admin,
        member=member,
        public_slug=public.slug,
        private_slug=private.slug,
        public_key=first.key,
        private_key=secret.key,
        class_id=classroom.id,
        join_code=classroom.join_code,
        import_token=pending.token,
    )


def fingerprint() -> dict:
    """Everything a teaching action can change, summed up: a refused request must leave it as it was."""
    db.session.expire_all()

    def count(model, *where):
        return db.session.scalar(select(func.count()).select_from(model).where(*where))

    return {
        "decks": [
            (d.slug, d.title, d.visibility, d.card_kinds)
            for d in db.session.scalars(select(Deck).order_by(Deck.id))
        ],
        "entries": [
            (e.key, e.headword, e.meaning, e.position, e.retired)
            for e in db.session.scalars(select(Entry).order_by(Entry.id))
        ],
        "cards": count(Card),
        "active_states": count(CardState, CardState.active),
        "enrollments": count(Enrollment, Enrollment.active),
        "classes": [
            (c.name, c.join_code) for c in db.session.scalars(select(Classroom).order_by(Classroom.id))
        ],
        "members": sorted(db.session.execute(select(ClassMember.class_id, ClassMember.user_id)).all()),
        "class_decks": sorted(db.session.execute(select(ClassDeck.class_id, ClassDeck.deck_id)).all()),
        "roles": sorted(db.session.execute(select(User.username, User.role, User.can_invite)).all()),
        "invites": count(TeacherInvite),
        "imports": count(DeckImport),
    }

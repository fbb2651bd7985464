"""A learner's nicknames and their public share pages: the list, public or private, and the page behind a
share link. A private or unknown name is simply not found, to everyone."""

from __future__ import annotations

from sqlalchemy import select

from learnapp.database import transaction
from learnapp.errors import NotFound
from learnapp.extensions import db
from learnapp.models import Nickname, User


def nicknames(user: User) -> list[Nickname]:
    return list(
        db.session.scalars(select(Nickname).where(Nickname.user_id == user.id).order_by(Nickname.id.desc()))
    )


def shared(token: str) -> Nickname:
    """A public nickname page by its token; private or unknown ones are simply not found."""
    if not token or len(token) > 32:
        raise NotFound("There is no nickname page here.")
    nickname = db.session.scalar(select(Nickname).where(Nickname.share_token == token))
    if nickname is None or not nickname.public:
        raise NotFound("There is no nickname page here.")
    return nickname


@transaction()
def set_public(user: User, nickname_id: int, public: bool) -> Nickname:
    nickname = db.session.get(Nickname, nickname_id)
    if nickname is None or nickname.user_id != user.id:
        raise NotFound("That nickname isn't yours.")
    nickname.public = public
    return nickname

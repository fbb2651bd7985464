"""Roles and teacher invites. One commit per user action.

Admins give roles (here or with `flask users create|promote`, both through `change_role`, which writes the
audit line) and allow teachers to hand out invite codes.
A teacher invite is a one-use code; a learner who redeems it becomes a teacher.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import func, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import aliased

from learnapp.access import can_invite, require_admin
from learnapp.classes.service import CODE_ALPHABET, normalize_code
from learnapp.database import transaction
from learnapp.errors import Forbidden, NotFound, UserError
from learnapp.extensions import db
from learnapp.models import ROLES, TeacherInvite, User
from learnapp.observability import audit

INVITE_LENGTH = 12
USERS_SHOWN = 200


@dataclass(frozen=True)
class InviteRow:
    code: str
    created_at: datetime
    used_by: str | None
    used_at: datetime | None

    @property
    def shown(self) -> str:
        """XXXX-XXXX-XXXX: easier to read out."""
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))


def list_users(admin: User, query: str = "") -> tuple[list[User], int]:
    """Accounts by username (at most USERS_SHOWN), filtered by part of a username or email; and the total."""
    require_admin(admin)
    statement = select(User).order_by(User.username_key)
    text = query.strip().lower()[:100]
    if text:
        statement = statement.where(
            or_(User.username_key.contains(text, autoescape=True), User.email.contains(text, autoescape=True))
        )
    total = db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    return list(db.session.scalars(statement.limit(USERS_SHOWN))), total


def _target(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("There is no such account.")
    return user


@transaction()
def set_role(admin: User, user_id: int, role: str) -> User:
    """Give an account a role. An admin cannot take away their own admin role (ask another admin)."""
    require_admin(admin)
    if role not in ROLES:
        raise UserError("Pick learner, teacher or admin.")
    user = _target(user_id)
    if user.id == admin.id and role != "admin":
        raise UserError("You can't take away your own admin role. Ask another admin to do it.")
    change_role(user, role)
    return user


def change_role(user: User, role: str, *, via: str | None = None) -> None:
    """Give `user` `role` and write the `role_changed` audit line. Admins (`set_role`, which checks who may)
    and the command line (`flask users create|promote`, `via="cli"`: whoever runs it runs the server) both
    come here; a redeemed teacher invite is audited as `invite_redeemed`. A learner hands out no invites."""
    if role not in ROLES:
        raise UserError("Pick learner, teacher or admin.")
    extra = {"via": via} if via is not None else {}
    audit("role_changed", user_id=user.id, old_role=user.role, new_role=role, **extra)
    user.role = role
    if role == "learner":
        user.can_invite = False


@transaction()
def set_can_invite(admin: User, user_id: int, allowed: bool) -> User:
    """Allow (or stop) a teacher handing out teacher invite codes."""
    require_admin(admin)
    user = _target(user_id)
    if allowed and user.role == "learner":
        raise UserError(f"{user.username} is a learner: make them a teacher first.")
    user.can_invite = allowed
    audit("invite_permission_changed", user_id=user.id, allowed=allowed)
    return user


def require_inviter(user: User) -> None:
    if not can_invite(user):
        raise Forbidden("Only admins, and teachers an admin has allowed, hand out teacher invite codes.")


@transaction()
def create_invite(user: User, now: datetime) -> InviteRow:
    """A new one-use teacher invite code."""
    require_inviter(user)
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(INVITE_LENGTH))
        if db.session.scalar(select(TeacherInvite.id).where(TeacherInvite.code == code)) is None:
            break
    db.session.add(TeacherInvite(code=code, created_by=user.id, created_at=now))
    audit("invite_created", created_by=user.id)
    return InviteRow(code, now, None, None)


def my_invites(user: User) -> list[InviteRow]:
    """The codes `user` handed out, newest first, and who used them."""
    require_inviter(user)
    redeemer = aliased(User)
    rows = db.session.execute(
        select(TeacherInvite, redeemer.username)
        .outerjoin(redeemer, redeemer.id == TeacherInvite.used_by)
        .where(TeacherInvite.created_by == user.id)
        .order_by(TeacherInvite.created_at.desc(), TeacherInvite.id.desc())
    ).all()
    return [InviteRow(i.code, i.created_at, name, i.used_at) for i, name in rows]


@transaction()
def redeem_invite(user: User, code: str, now: datetime) -> User:
    """Become a teacher with a one-use code. A wrong or used code changes nothing."""
    if user.role in ("teacher", "admin"):
        raise UserError("You're already a teacher: keep the code for someone else.", field="code")
    normalized = normalize_code(code)
    invite = (
        db.session.scalar(select(TeacherInvite).where(TeacherInvite.code == normalized))
        if normalized
        else None
    )
    unusable = (
        "That invite code doesn't exist or has already been used. Check it with whoever gave it to you."
    )
    if invite is None or invite.used_by is not None:
        raise UserError(unusable, field="code")
    # Only one redemption can win, even at the same moment.
    claimed = cast(
        "CursorResult[Any]",
        db.session.execute(
            update(TeacherInvite)
            .where(TeacherInvite.id == invite.id, TeacherInvite.used_by.is_(None))
            .values(used_by=user.id, used_at=now),
            execution_options={"synchronize_session": False},
        ),
    ).rowcount
    if claimed != 1:
        raise UserError(unusable, field="code")
    user.role = "teacher"
    audit("invite_redeemed", user_id=user.id, invite_id=invite.id, created_by=invite.created_by)
    return user

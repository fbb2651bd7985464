"""Unbound extensions, bound to the app in create_app(); importing this module has no side effects."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from htmx_flask import Htmx
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Plain declarative base (Flask-SQLAlchemy 3.1 and SQLAlchemy 2.1's MappedAsDataclass disagree)."""

    if TYPE_CHECKING:
        # Core statements use a model's table as columns and as a target; Any, as when `db.Model` was all
        # mypy saw (a FromClause, DeclarativeBase's own type, is too wide for either).
        __table__: ClassVar[Any]


# Objects stay loaded after commit: a request commits once, then renders what it just wrote (no reloads).
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})

# The models' base class. `db.Model` is made at run time (Base with Flask-SQLAlchemy's table naming and
# query property), so a type checker cannot see it; to it, the models derive from Base.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
htmx = Htmx()
compress = Compress()

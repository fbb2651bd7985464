"""Unbound extensions, bound to the app in create_app(); importing this module has no side effects."""

from __future__ import annotations

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


# Objects stay loaded after commit: a request commits once, then renders what it just wrote (no reloads).
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
htmx = Htmx()

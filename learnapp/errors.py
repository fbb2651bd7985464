"""Errors a service raises for the user to read, and the app's error pages."""

from __future__ import annotations

import contextlib
import sqlite3
from urllib.parse import urlsplit

from flask import Flask, current_app, make_response, request, url_for
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa_exc

# Seconds a client is asked to wait (Retry-After) when the database cannot be reached.
RETRY_AFTER_SECONDS = 5


def _unreachable_errors() -> tuple[type[Exception], ...]:
    """What a database that is down, restarting, unreachable or locked raises: SQLAlchemy's wrapped errors,
    and the drivers' own, which the study loop's raw statements (study/sql.py) raise unwrapped."""
    errors: list[type[Exception]] = [
        sa_exc.OperationalError,
        sa_exc.InterfaceError,
        sa_exc.TimeoutError,  # no pooled connection came free in time
        sqlite3.OperationalError,  # "database is locked" beyond the busy timeout
    ]
    try:
        import psycopg
    except ImportError:  # the postgres extra is not installed
        pass
    else:
        errors += [psycopg.OperationalError, psycopg.InterfaceError]
    return tuple(errors)


class UserError(Exception):
    """Something the user can fix. `field` names the form field it belongs beside, if any."""

    status = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(UserError):
    """Missing, or invisible to this user (a 404: we do not say which)."""

    status = 404


class Conflict(UserError):
    """The action clashes with the current state (already done, changed meanwhile)."""

    status = 409


class Forbidden(UserError):
    """Visible, but not yours to change (a 403). What a user may not even see is NotFound."""

    status = 403


def _page(status: int, title: str, message: str):
    from learnapp.htmx import render

    try:
        return render(
            "errors/error.html",
            "errors/_error.html",
            status=status,
            status_code=status,
            title=title,
            message=message,
        )
    except UNREACHABLE as error:  # the page's account menu needed the database, and it is gone
        return database_unavailable(error)


UNREACHABLE = _unreachable_errors()


def _retry_target() -> str:
    """Where "Try again" leads: the page asked for (a GET), else the page the form was on, if it is ours."""
    if request.method == "GET":
        return request.full_path.rstrip("?")
    came_from = request.headers.get("HX-Current-URL") or request.referrer or ""
    parts = urlsplit(came_from)
    if parts.netloc == request.host and parts.path.startswith("/"):
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return url_for("main.home")


def database_unavailable(error: BaseException):
    """503 with Retry-After when the database can't be reached: the transaction is rolled back (so
    nothing is half-written) and the page is drawn without touching the database again (no account menu,
    no display preferences: loading the user may be what failed)."""
    from learnapp.extensions import db, login_manager
    from learnapp.htmx import is_htmx

    current_app.logger.error("database unavailable (503): %s", error, exc_info=error)
    with contextlib.suppress(Exception):  # the connection may be gone; the session is discarded anyway
        db.session.rollback()
    # From here on the request is a visitor's: the user may never have loaded, or the rollback expired it
    # (reading it again would ask the database), and later hooks ask `current_user`.
    login_manager._update_request_context_with_user()
    context = {"retry_url": _retry_target(), "retry_after": RETRY_AFTER_SECONDS}
    template = "errors/_unavailable.html" if is_htmx() else "errors/unavailable.html"
    # Rendered without the context processors, which read the learner's display preferences.
    page = current_app.jinja_env.get_template(template).render(**context)
    response = make_response(page, 503)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    response.vary.add("HX-Request")
    return response


def _close_session(_error: BaseException | None) -> None:
    """Close the request's database session before Flask-SQLAlchemy does (teardowns run last registered,
    first). The response is made by then: if the database dropped the connection meanwhile (a restart),
    the rollback of a read transaction fails, and that must not turn the finished response into a 500."""
    from learnapp.extensions import db

    try:
        db.session.remove()
    except UNREACHABLE as error:
        current_app.logger.warning("database connection lost after the response: %s", error)
        db.session.registry.clear()  # the connection is invalidated; the next request takes a new one


def register_error_handlers(app: Flask) -> None:
    for error_class in UNREACHABLE:
        app.register_error_handler(error_class, database_unavailable)
    app.teardown_appcontext(_close_session)

    @app.errorhandler(UserError)
    def user_error(error: UserError):
        return _page(error.status, "That didn't work", error.message)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return _page(
            400,
            "This form has expired",
            "Reload the page and try again. (The security token was missing or old.)",
        )

    @app.errorhandler(400)
    def bad_request(error):
        return _page(400, "Bad request", "The request didn't make sense to us. Go back and try again.")

    @app.errorhandler(403)
    def forbidden(error):
        return _page(403, "Not allowed", "You don't have access to this page.")

    @app.errorhandler(404)
    def not_found(error):
        return _page(404, "Page not found", "There's nothing here. The link may be old or mistyped.")

    @app.errorhandler(405)
    def method_not_allowed(error):
        return _page(405, "Not allowed", "That action isn't available here.")

    @app.errorhandler(413)
    def too_large(error):
        return _page(413, "Too large", "That was more data than we accept in one go.")

    @app.errorhandler(429)
    def too_many(error):
        return _page(429, "Slow down", "Too many attempts. Wait a minute and try again.")

    @app.errorhandler(500)
    def server_error(error):
        return _page(
            500, "Something broke", "Sorry, that's our fault. Nothing was saved; try again in a moment."
        )

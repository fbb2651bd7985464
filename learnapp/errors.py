"""Errors a service raises for the user to read, and the app's error pages."""

from __future__ import annotations

from flask import Flask
from flask_wtf.csrf import CSRFError


class UserError(Exception):
    """Something the user can fix. `field` names the form field it belongs beside, if any."""

    status = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(UserError):
    status = 404


class Conflict(UserError):
    status = 409


def _page(status: int, title: str, message: str):
    from learnapp.htmx import render

    return render("errors/error.html", "errors/_error.html", status=status, title=title, message=message)


def register_error_handlers(app: Flask) -> None:
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

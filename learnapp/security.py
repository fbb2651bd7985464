"""Security headers on every response: a strict Content-Security-Policy (no unsafe-inline) and friends."""

from __future__ import annotations

from flask import Flask, Response, request
from flask_login import current_user

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def install(app: Flask) -> None:
    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.endpoint != "static" and current_user and current_user.is_authenticated:
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    from learnapp.extensions import login_manager

    @login_manager.unauthorized_handler
    def _unauthorized():
        """Log in first; htmx requests are told to navigate (HX-Redirect) instead of swapping a login page."""
        from flask import flash, redirect, url_for

        # After a GET, come back to it; after a POST, to the login page alone (not to a POST-only address).
        is_get = request.method == "GET"
        target = url_for("auth.login", next=request.full_path.rstrip("?") if is_get else None)
        if request.headers.get("HX-Request") == "true":  # any htmx request, boosted ones included
            response = Response("", status=401)
            response.headers["HX-Redirect"] = target
            response.vary.add("HX-Request")
            return response
        flash("Log in to continue.", "info")
        return redirect(target, code=302 if is_get else 303)

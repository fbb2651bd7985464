"""Security headers on every response: a strict Content-Security-Policy (no unsafe-inline) and friends.

Over HTTPS, also Strict-Transport-Security and the Secure flag on every cookie. HTTPS is the request's own
scheme, or the one a proxy declared trusted (TRUSTED_PROXIES) says it saw in X-Forwarded-Proto; without a
trusted proxy, forwarded headers are ignored (anyone can send them). SESSION_COOKIE_SECURE=1 still makes
the session cookie Secure whatever the scheme."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Response, g, request
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


def _secure(cookie: str) -> str:
    """A Set-Cookie value with the Secure attribute (added once)."""
    attributes = {part.strip().lower() for part in cookie.split(";")[1:]}
    return cookie if "secure" in attributes else f"{cookie}; Secure"


class SecureCookiesOverHttps:
    """WSGI middleware: every cookie set on a response to an HTTPS request is Secure (the session's, the
    remember-me cookie, any other), whatever set it. It sits inside ProxyFix, so it sees the scheme a
    trusted proxy reported."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("wsgi.url_scheme") != "https":
            return self.app(environ, start_response)

        def _start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            headers = [
                (name, _secure(value) if name.lower() == "set-cookie" else value) for name, value in headers
            ]
            return start_response(status, headers, exc_info)

        return self.app(environ, _start)


def install(app: Flask) -> None:
    app.wsgi_app = SecureCookiesOverHttps(app.wsgi_app)  # type: ignore[method-assign]
    if proxies := app.config.get("TRUSTED_PROXIES", 0):
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Behind nginx or HAProxy: the client's address and scheme as the trusted proxies saw them.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]

    @app.before_request
    def _reuse_posted_csrf_token() -> None:
        """A form post whose CSRF token was just found valid gets the same token in the forms it renders,
        instead of a second one signed for this request (signing costs as much as a small query, on every
        study answer). Both carry the same secret; only while tokens do not expire (WTF_CSRF_TIME_LIMIT
        None), so a reused token never brings an earlier expiry onto a new page."""
        if g.get("csrf_valid") and app.config.get("WTF_CSRF_TIME_LIMIT") is None:
            field = app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
            token = request.form.get(field)
            if token and field not in g:
                setattr(g, field, token)

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.is_secure and app.config.get("HSTS"):
            response.headers.setdefault("Strict-Transport-Security", app.config["HSTS"])
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

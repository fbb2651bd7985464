"""The one place that decides "full page or fragment", 303s and HX-Redirect.

Views call `render()` with the page template and the fragment template the page includes; htmx requests
get the fragment, others the page, and both carry `Vary: HX-Request`. After a mutation, `see_other()`
sends a plain form to the next page with 303 and an htmx request with HX-Redirect.
"""

from __future__ import annotations

from typing import Any

from flask import Response, make_response, redirect, render_template, request


def is_htmx() -> bool:
    """An htmx request that wants a fragment (not a boosted navigation or a history restore)."""
    htmx = getattr(request, "htmx", None)
    if not htmx:
        return False
    return not htmx.boosted and not htmx.history_restore_request


def render(page: str, fragment: str | None = None, status: int = 200, **context: Any) -> Response:
    """Render `fragment` for htmx requests and `page` otherwise."""
    template = fragment if fragment and is_htmx() else page
    response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    return response


def see_other(location: str) -> Response:
    """After a POST: 303 for plain forms, HX-Redirect for htmx."""
    if is_htmx():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = location
    else:
        response = make_response(redirect(location, code=303))
    response.vary.add("HX-Request")
    return response

"""The public nickname pages (/n/<token>): the page, its SVG card and its link-preview PNG. Nothing else
about the account is shown, and a private name is a 404 that nobody stores."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, after_this_request, current_app, render_template, request

from learnapp.htmx import render
from learnapp.share import drawing, fonts, image, service

bp = Blueprint("share", __name__)


@bp.get("/n/<token>")
def page(token: str):
    """A nickname's public page: the name, its pinyin with a speaker, what each character means and the
    story of the choice. Nothing else about the account. No shared cache keeps it (it carries the visitor's
    own form token), and its 404 (a private or unknown name) is stored by no cache at all, so a name made
    private is gone at once."""

    @after_this_request
    def _cache_headers(response: Response) -> Response:
        if response.status_code == 200:
            response.headers["Cache-Control"] = "private, no-cache"
        else:
            response.headers["Cache-Control"] = "no-store"
        return response

    nickname = service.shared(token)
    return render("share/page.html", nickname=nickname, details=nickname.details)


def _shared_image(token: str):
    """The nickname behind a share image's address. While it is public, shared caches (a proxy, a CDN)
    may keep the image a few minutes and must then ask again (must-revalidate), so one made private stops
    being served from them within SHARE_IMAGE_MAX_AGE; private and unknown ones are a 404 nobody stores."""

    @after_this_request
    def _cache_headers(response: Response) -> Response:
        if response.status_code in (200, 304):
            max_age = current_app.config["SHARE_IMAGE_MAX_AGE"]
            response.headers["Cache-Control"] = f"public, max-age={max_age}, must-revalidate"
        else:
            response.headers["Cache-Control"] = "no-store"
        return response

    return service.shared(token)


@bp.get("/n/<token>.svg")
def card_svg(token: str):
    """The nickname card as SVG, in the app's style (crisp at any size; link previews use the PNG)."""
    nickname = _shared_image(token)
    svg = render_template("share/card.svg", nickname=nickname, details=nickname.details)
    return Response(svg, mimetype="image/svg+xml")


@bp.get("/n/<token>.png")
def card_png(token: str):
    """The link-preview image of a nickname page (og:image): a PNG drawn once in Noto Sans CJK, then
    served from instance/ with an ETag of what it shows."""
    nickname = _shared_image(token)
    content = drawing.CardContent.of(nickname.hanzi, nickname.pinyin, nickname.details)
    card_fonts = fonts.find_fonts()
    key = content.key(card_fonts)
    if request.if_none_match.contains_weak(key):
        response = Response(status=304)
        response.set_etag(key)
        return response
    folder = Path(current_app.config["SHARE_IMAGE_DIR"])
    response = Response(image.cached_png(folder, nickname.id, content, card_fonts), mimetype="image/png")
    response.set_etag(key)
    return response

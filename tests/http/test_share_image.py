"""The nickname share image (/n/<token>.png) that link previews show: a real 1200x630 PNG drawn in Noto
Sans CJK (hanzi, not tofu boxes, in tone colours), kept on disk, served with an ETag and a cache policy
that lets a name made private disappear from shared caches; private and unknown names are a 404 that
nobody stores. The share page's og:image and twitter:image point to it."""

from __future__ import annotations

import html as htmllib
import io
import re
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont, ImageStat
from sqlalchemy import select

from learnapp.chinese.display import COLOURS
from learnapp.extensions import db
from learnapp.models import Nickname
from learnapp.share.drawing import CardContent, draw_card
from learnapp.share.fonts import find_fonts
from tests.conftest import ROOT
from tests.http.test_welcome import EMAIL, USERNAME, expected, pick, post

pytestmark = pytest.mark.skipif(not find_fonts().cjk, reason="fonts-noto-cjk is not installed (make fonts)")

PURPLE, BLUE = COLOURS["purple"], COLOURS["blue"]  # Pleco's tones 4 and 3
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture
def learner(client, auth):
    assert auth.signup(username=USERNAME, email=EMAIL).status_code == 303
    return client


@pytest.fixture
def shared(client, auth, learner) -> Nickname:
    """艾米莉 (ài mǐ lì), picked by the learner, looked at by a stranger (logged out)."""
    assert pick(learner, "0").status_code == 303
    nickname = db.session.scalar(select(Nickname))
    assert nickname.hanzi == expected()[0].hanzi == "艾米莉"
    auth.logout()
    return nickname


def png_of(response) -> Image.Image:
    image = Image.open(io.BytesIO(response.get_data()))
    image.verify()  # the whole file checks out (CRCs, chunks)
    image = Image.open(io.BytesIO(response.get_data()))
    image.load()
    return image


def rgb(colour: str) -> tuple[int, int, int]:
    return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))


def ink(image: Image.Image, box, colour: str) -> float:
    """The share of the pixels in `box` that are (nearly) `colour`."""
    data = image.convert("RGB").crop(box).tobytes()
    target = rgb(colour)
    pixels = [data[i : i + 3] for i in range(0, len(data), 3)]
    close = sum(1 for p in pixels if sum(abs(a - b) for a, b in zip(p, target, strict=True)) < 60)
    return close / len(pixels)


def glyph(image: Image.Image, box) -> Image.Image:
    """A character's ink in `box`, as a 48x48 grey image (to compare shapes)."""
    return image.convert("L").crop(box).resize((48, 48), Image.Resampling.BILINEAR)


def difference(a: Image.Image, b: Image.Image) -> float:
    """0 when two glyph images are the same, up to 1 when every pixel differs completely."""
    return ImageStat.Stat(ImageChops.difference(a, b)).mean[0] / 255


def cells_in_a_font_without_hanzi(text: str) -> list[Image.Image]:
    """The same characters drawn in Pillow's own font, which has no hanzi: tofu."""
    font = ImageFont.load_default(160)
    cells = []
    for char in text:
        image = Image.new("L", (200, 200), 255)
        ImageDraw.Draw(image).text((100, 100), char, font=font, fill=0, anchor="mm")
        cells.append(image.resize((48, 48), Image.Resampling.BILINEAR))
    return cells


# --- the image ---------------------------------------------------------------------------------------


def test_the_share_image_is_a_1200_by_630_png_with_the_name_in_real_hanzi_and_tone_colours(client, shared):
    response = client.get(f"/n/{shared.share_token}.png")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    image = png_of(response)
    assert (image.format, image.size) == ("PNG", (1200, 630))
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "share-image.png").write_bytes(response.get_data())  # to look at

    # Where the renderer puts each character (the same drawing the server made and cached).
    content = CardContent.of(shared.hanzi, shared.pinyin, shared.details)
    drawn = draw_card(content, find_fonts())
    assert drawn.image.tobytes() == image.convert("RGB").tobytes()
    boxes = drawn.char_boxes
    assert len(boxes) == 3
    for box in boxes:  # large: legible in a 500-pixel-wide preview
        assert box[3] - box[1] >= 150 and box[2] - box[0] >= 150

    # Hanzi, not tofu: three different shapes (a font without hanzi draws the same box three times).
    cells = [glyph(image, box) for box in boxes]
    pairs = [(cells[0], cells[1]), (cells[1], cells[2]), (cells[0], cells[2])]
    assert min(difference(a, b) for a, b in pairs) > 0.08
    tofu = cells_in_a_font_without_hanzi(shared.hanzi)
    assert max(difference(tofu[0], tofu[1]), difference(tofu[1], tofu[2])) < 0.01

    # Tone colours (Pleco's scheme): 艾 ài and 莉 lì are 4th tone (purple), 米 mǐ 3rd (blue); a bold
    # hanzi inks a good part of its box, a tofu box very little.
    for box, colour in zip(boxes, (PURPLE, BLUE, PURPLE), strict=True):
        assert 0.15 < ink(image, box, colour) < 0.75, colour
    assert ink(image, boxes[1], PURPLE) < 0.01


def test_the_image_is_drawn_once_and_kept_on_disk(app, client, shared):
    folder = Path(app.config["SHARE_IMAGE_DIR"])
    first = client.get(f"/n/{shared.share_token}.png")
    files = list(folder.glob(f"{shared.id}-*.png"))
    assert len(files) == 1
    assert files[0].name == f"{shared.id}-{first.headers['ETag'].strip(chr(34))}.png"
    assert files[0].read_bytes() == first.get_data()
    # The next request is answered from the file, not drawn again.
    marker = Image.new("RGB", (1200, 630), (0, 128, 0))
    buffer = io.BytesIO()
    marker.save(buffer, format="PNG")
    files[0].write_bytes(buffer.getvalue())
    again = client.get(f"/n/{shared.share_token}.png")
    assert again.get_data() == buffer.getvalue()


# --- caching and privacy -----------------------------------------------------------------------------


def test_a_public_image_may_be_cached_briefly_and_revalidated_with_its_etag(app, shared):
    client = app.test_client()  # a link-preview fetcher: no cookies
    url = f"/n/{shared.share_token}.png"
    response = client.get(url, headers={"Accept-Encoding": "gzip, br"})
    assert response.headers["Cache-Control"] == "public, max-age=300, must-revalidate"
    etag = response.headers["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{20}"', etag)
    assert "Content-Encoding" not in response.headers  # a PNG is compressed already
    assert "Set-Cookie" not in response.headers and "Cookie" not in response.headers.get("Vary", "")
    again = client.get(url, headers={"If-None-Match": etag})
    assert (again.status_code, again.get_data()) == (304, b"")
    assert again.headers["Cache-Control"] == "public, max-age=300, must-revalidate"
    assert again.headers["ETag"] == etag
    assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200


def test_the_owner_sees_the_same_public_image(learner):
    assert pick(learner, "0").status_code == 303
    token = db.session.scalar(select(Nickname.share_token))
    response = learner.get(f"/n/{token}.png")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=300, must-revalidate"
    # The same bytes for everyone: nothing in it depends on the session.
    assert "Set-Cookie" not in response.headers and "Cookie" not in response.headers.get("Vary", "")


def test_an_image_made_private_is_a_404_that_no_cache_keeps_and_its_file_is_gone(app, client, auth, shared):
    token = shared.share_token
    assert client.get(f"/n/{token}.png").status_code == 200
    folder = Path(app.config["SHARE_IMAGE_DIR"])
    assert list(folder.glob(f"{shared.id}-*.png"))
    auth.login(USERNAME)
    response = post(client, f"/settings/nicknames/{shared.id}/visibility", public="0")
    assert response.status_code == 303
    assert not list(folder.glob(f"{shared.id}-*.png"))
    for who in ("owner", "stranger"):
        if who == "stranger":
            auth.logout()
        for suffix in (".png", ".svg"):
            gone = client.get(f"/n/{token}{suffix}")
            assert gone.status_code == 404, (who, suffix)
            assert gone.headers["Cache-Control"] == "no-store"
            if who == "stranger":
                assert "艾米莉" not in gone.get_data(as_text=True)
    # Public again: served again (drawn anew).
    auth.login(USERNAME)
    post(client, f"/settings/nicknames/{shared.id}/visibility", public="1")
    auth.logout()
    assert client.get(f"/n/{token}.png").status_code == 200


@pytest.mark.parametrize("path", ["/n/AAAAAAAAAAAA.png", "/n/" + "a" * 200 + ".png"])
def test_unknown_images_are_not_found_and_not_stored(client, shared, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["Cache-Control"] == "no-store"


# --- the page points to it ---------------------------------------------------------------------------


def meta(markup: str, key: str) -> str | None:
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', markup)
    return htmllib.unescape(match.group(1)) if match else None


def test_the_share_page_points_link_previews_at_the_png(client, shared):
    html = client.get(f"/n/{shared.share_token}").get_data(as_text=True)
    image_url = f"http://localhost/n/{shared.share_token}.png"
    assert meta(html, "og:image") == image_url
    assert meta(html, "twitter:image") == image_url
    assert meta(html, "og:image:type") == "image/png"
    assert (meta(html, "og:image:width"), meta(html, "og:image:height")) == ("1200", "630")
    assert meta(html, "twitter:card") == "summary_large_image"
    # The address answers, with what the tags promise.
    image = png_of(client.get(image_url))
    assert image.size == (1200, 630)

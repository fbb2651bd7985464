"""The nickname share image drawn (1200x630) with Pillow: the name large in tone colours (Pleco's scheme,
the app's default), its pinyin, a line of what each character means, and the Huanying mark. It is drawn
at twice the size and scaled down, so edges and rounded corners are smooth. Without a CJK font the pinyin
is drawn large and no characters (never tofu boxes). `CardContent.key` hashes everything drawn and how,
for the cache's file names (`share_image`)."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from learnapp.chinese.display import COLOURS, DEFAULT_SCHEME, SCHEMES, pinyin_units
from learnapp.share.fonts import CardFonts

WIDTH, HEIGHT = 1200, 630
SCALE = 2  # drawn at 2400x1260, then scaled down
DESIGN = 1  # bump when the drawing changes: every cached image is drawn again

BACKGROUND_TOP, BACKGROUND_BOTTOM = (255, 246, 241), (255, 227, 227)
CARD, CARD_EDGE = (255, 255, 255), (241, 196, 196)
INK, MUTED, ACCENT = (59, 47, 43), (138, 111, 102), (229, 72, 77)
TONES = {tone: COLOURS[name] for tone, name in (SCHEMES[DEFAULT_SCHEME] or {}).items()}

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@dataclass(frozen=True)
class CardChar:
    char: str
    pinyin: str
    meaning: str


@dataclass(frozen=True)
class CardContent:
    """Everything the card shows, taken from a stored nickname."""

    hanzi: str
    pinyin: str
    chars: tuple[CardChar, ...]

    @classmethod
    def of(cls, hanzi: str, pinyin: str, details: Any) -> CardContent:
        raw = details.get("chars") if isinstance(details, dict) else None
        chars = tuple(
            CardChar(str(item.get("char", "")), str(item.get("pinyin", "")), str(item.get("meaning", "")))
            for item in (raw if isinstance(raw, list) else [])
            if isinstance(item, dict)
        )
        return cls(hanzi=hanzi, pinyin=pinyin, chars=chars)

    def key(self, fonts: CardFonts) -> str:
        """A hash of what is drawn and how: the cache's file name."""
        data = {
            "design": DESIGN,
            "size": [WIDTH, HEIGHT],
            "hanzi": self.hanzi,
            "pinyin": self.pinyin,
            "chars": [[c.char, c.pinyin, c.meaning] for c in self.chars],
            "fonts": [[f.path, f.index] if f else None for f in (fonts.bold, fonts.regular)],
        }
        encoded = json.dumps(data, ensure_ascii=False, sort_keys=True).encode()
        return hashlib.sha256(encoded).hexdigest()[:20]


@dataclass(frozen=True)
class Piece:
    """A run of text in one font and colour."""

    text: str
    font: Font
    fill: tuple[int, int, int]


def _hex(colour: str) -> tuple[int, int, int]:
    return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))


def _tone_colour(tone: int | None) -> tuple[int, int, int]:
    return _hex(TONES[tone]) if tone in TONES else INK


def _char_tone(char: CardChar) -> int | None:
    tones = [tone for _, tone in pinyin_units(char.pinyin) if tone is not None]
    return tones[0] if tones else None


def _width(pieces: Sequence[Piece], tracking: float = 0) -> float:
    return sum(p.font.getlength(p.text) for p in pieces) + tracking * max(len(pieces) - 1, 0)


def _extent(pieces: Sequence[Piece]) -> tuple[float, float]:
    """How far the pieces' ink reaches above and below their common baseline."""
    boxes = [p.font.getbbox(p.text, anchor="ls") for p in pieces if p.text.strip()]
    if not boxes:
        return 0, 0
    return -min(b[1] for b in boxes), max(b[3] for b in boxes)


@dataclass
class Line:
    pieces: list[Piece]
    tracking: float = 0  # extra space between pieces
    gap_after: float = 0
    boxes: list[tuple[int, int, int, int]] | None = None  # filled by _draw_line: each piece's ink box


def _fit(
    make: Callable[[float], list[Piece]], sizes: Iterable[float], room: float, tracking: float = 0
) -> tuple[list[Piece], float] | None:
    """The first size at which `make(size)`'s pieces fit `room` (in drawing units)."""
    for size in sizes:
        pieces = make(size)
        if _width(pieces, tracking * size) <= room:
            return pieces, size
    return None


def _hanzi_line(content: CardContent, fonts: CardFonts, room: float) -> Line:
    chars = content.chars or tuple(CardChar(c, "", "") for c in content.hanzi)
    largest = 190 if len(chars) <= 3 else 168

    def make(size: float) -> list[Piece]:
        font = fonts.font("bold", size * SCALE)
        return [Piece(c.char, font, _tone_colour(_char_tone(c))) for c in chars]

    pieces, size = _fit(make, _sizes(largest, 60), room, tracking=0.06 * SCALE) or (make(60), 60)
    return Line(pieces, tracking=0.06 * SCALE * size)


def _pinyin_pieces(pinyin: str, font: Font) -> list[Piece]:
    return [Piece(text, font, _tone_colour(tone) if tone else MUTED) for text, tone in pinyin_units(pinyin)]


def _pinyin_line(content: CardContent, fonts: CardFonts, room: float, large: bool) -> Line:
    largest = 150 if large else 56
    weight = "bold" if large else "regular"

    def make(size: float) -> list[Piece]:
        return _pinyin_pieces(content.pinyin, fonts.font(weight, size * SCALE))

    pieces, _ = _fit(make, _sizes(largest, 24), room) or (make(24), 24)
    return Line(pieces)


def _meaning_items(content: CardContent, short: bool) -> list[tuple[str, str]]:
    items = []
    for c in content.chars:
        meaning = c.meaning.split(";")[0].strip() if short else c.meaning.strip()
        items.append((c.char, meaning))
    return items


def _meaning_lines(content: CardContent, fonts: CardFonts, room: float) -> list[Line]:
    """`艾 mugwort · 米 rice · 莉 jasmine` on one line if it fits at a legible size, else on two; long
    meanings are cut to their first sense (before ";"), and as a last resort with an ellipsis."""
    if not content.chars:
        return []

    def pieces_of(items: Sequence[tuple[str, str]], size: float) -> list[Piece]:
        bold, regular = fonts.font("bold", size * SCALE), fonts.font("regular", size * SCALE)
        out: list[Piece] = []
        for number, (char, meaning) in enumerate(items):
            if number:
                out.append(Piece(" · ", regular, MUTED))
            if fonts.cjk:
                out.append(Piece(char + " ", bold, INK))
            out.append(Piece(meaning, regular, MUTED))
        return out

    for short in (False, True):
        items = _meaning_items(content, short)
        one = _fit(partial(pieces_of, items), _sizes(32, 27), room)
        if one:
            return [Line(one[0])]
        if len(items) > 1:
            half = (len(items) + 1) // 2
            for size in _sizes(30, 24):
                lines = [pieces_of(items[:half], size), pieces_of(items[half:], size)]
                if all(_width(line) <= room for line in lines):
                    return [Line(lines[0], gap_after=0.45 * size * SCALE), Line(lines[1])]
    items = [(char, meaning[:18].rstrip() + "...") for char, meaning in _meaning_items(content, True)]
    return [Line(pieces_of(items, 24))]


def _sizes(largest: float, smallest: float) -> list[float]:
    sizes, size = [], largest
    while size > smallest:
        sizes.append(size)
        size -= 2
    return [*sizes, smallest]


def _draw_line(draw: ImageDraw.ImageDraw, line: Line, baseline: float) -> None:
    x = (WIDTH * SCALE - _width(line.pieces, line.tracking)) / 2
    line.boxes = []
    for piece in line.pieces:
        draw.text((x, baseline), piece.text, font=piece.font, fill=piece.fill, anchor="ls")
        left, top, right, bottom = piece.font.getbbox(piece.text, anchor="ls")
        line.boxes.append(
            (round(x + left), round(baseline + top), round(x + right), round(baseline + bottom))
        )
        x += piece.font.getlength(piece.text) + line.tracking


def _background() -> Image.Image:
    s = SCALE
    mask = Image.linear_gradient("L").resize((WIDTH * s, HEIGHT * s))
    image = Image.composite(
        Image.new("RGB", mask.size, BACKGROUND_BOTTOM), Image.new("RGB", mask.size, BACKGROUND_TOP), mask
    )
    shadow = Image.new("L", image.size, 0)
    ImageDraw.Draw(shadow).rounded_rectangle((40 * s, 48 * s, 1160 * s, 598 * s), radius=36 * s, fill=70)
    shadow = shadow.filter(ImageFilter.GaussianBlur(14 * s))
    image.paste(Image.new("RGB", image.size, (214, 160, 160)), mask=shadow)
    ImageDraw.Draw(image).rounded_rectangle(
        (40 * s, 40 * s, 1160 * s, 590 * s), radius=36 * s, fill=CARD, outline=CARD_EDGE, width=3 * s
    )
    return image


def _draw_mark(draw: ImageDraw.ImageDraw, fonts: CardFonts, baseline: float) -> None:
    """The Huanying mark, centred: the app's icon (欢 on a red rounded square) and the name."""
    s = SCALE
    icon = 44 * s
    name = [Piece("Huanying", fonts.font("bold", 30 * s), INK)]
    if fonts.cjk:
        name.append(Piece(" 欢迎", fonts.font("bold", 30 * s), ACCENT))
    gap = 14 * s
    total = icon + gap + _width(name)
    left = (WIDTH * s - total) / 2
    top = baseline - 33 * s
    draw.rounded_rectangle((left, top, left + icon, top + icon), radius=10 * s, fill=ACCENT)
    letter = "欢" if fonts.cjk else "H"
    middle = (left + icon / 2, top + icon / 2)
    draw.text(middle, letter, font=fonts.font("bold", 27 * s), fill=CARD, anchor="mm")
    x = left + icon + gap
    for piece in name:
        draw.text((x, baseline), piece.text, font=piece.font, fill=piece.fill, anchor="ls")
        x += piece.font.getlength(piece.text)


@dataclass
class Drawn:
    """The card as drawn, with where its name's characters are (in the final image's pixels)."""

    image: Image.Image
    char_boxes: list[tuple[int, int, int, int]]


def draw_card(content: CardContent, fonts: CardFonts) -> Drawn:
    """Draw the card: caption, the name, its pinyin, the meanings, the mark; centred on the card."""
    s = SCALE
    room = 1000 * s
    image = _background()
    draw = ImageDraw.Draw(image)
    small = fonts.font("regular", 23 * s)
    caption = Line([Piece(c, small, MUTED) for c in "A CHINESE NAME"], tracking=4 * s, gap_after=26 * s)
    lines = [caption]
    name_line = None
    if fonts.cjk:
        name_line = _hanzi_line(content, fonts, room)
        name_line.gap_after = 30 * s
        lines.append(name_line)
    pinyin = _pinyin_line(content, fonts, room, large=not fonts.cjk)
    pinyin.gap_after = 34 * s
    lines += [pinyin, *_meaning_lines(content, fonts, room - 40 * s)]
    extents = [_extent(line.pieces) for line in lines]
    total = sum(up + down for up, down in extents) + sum(line.gap_after for line in lines[:-1])
    top = 62 * s + (448 * s - total) / 2  # the stack is centred between the card's top and the mark
    for line, (up, down) in zip(lines, extents, strict=True):
        _draw_line(draw, line, top + up)
        top += up + down + line.gap_after
    _draw_mark(draw, fonts, 558 * s)
    final = image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)
    boxes = [
        (round(left / s), round(top_ / s), round(right / s), round(bottom / s))
        for left, top_, right, bottom in ((name_line.boxes or []) if name_line else [])
    ]
    return Drawn(final, boxes)


def render_png(content: CardContent, fonts: CardFonts) -> bytes:
    buffer = io.BytesIO()
    draw_card(content, fonts).image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()

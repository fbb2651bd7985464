"""The share image's fonts: Debian's Noto Sans CJK SC (fonts-noto-cjk, installed by `make fonts`) in bold
and regular, found under the system's font folders (a collection's SC face picked by name); without it a
Latin font and no hanzi, said once in the log."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

log = logging.getLogger(__name__)

FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")
# Debian's fonts-noto-cjk ships collections (.ttc); other systems may have the single SC fonts.
CJK_FILES = {
    "bold": ("NotoSansCJK-Bold.ttc", "NotoSansCJKsc-Bold.otf", "NotoSansSC-Bold.otf"),
    "regular": ("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf", "NotoSansSC-Regular.otf"),
}
CJK_FACE = "Noto Sans CJK SC"  # Simplified Chinese glyph forms, in a collection of JP, KR, SC, TC, HK
LATIN_FILES = {"bold": ("DejaVuSans-Bold.ttf",), "regular": ("DejaVuSans.ttf",)}


@dataclass(frozen=True)
class FontFile:
    path: str
    index: int = 0


@dataclass(frozen=True)
class CardFonts:
    """The two weights the card uses, and whether they draw hanzi."""

    bold: FontFile | None
    regular: FontFile | None
    cjk: bool

    def font(self, weight: str, size: float) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
        chosen = self.bold if weight == "bold" else self.regular
        if chosen is None:
            return ImageFont.load_default(size)
        return _truetype(chosen.path, chosen.index, round(size))


@lru_cache(maxsize=64)
def _truetype(path: str, index: int, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size, index=index)


def _find(names: Iterable[str], dirs: Sequence[str]) -> Path | None:
    wanted = list(names)
    for directory in dirs:
        root = Path(directory)
        if not root.is_dir():
            continue
        for name in wanted:
            found = sorted(root.rglob(name))
            if found:
                return found[0]
    return None


def _face_index(path: Path, face: str) -> int | None:
    """The index of `face` in a font collection (0 for a single font of that family); None if absent."""
    for index in range(16):
        try:
            font = ImageFont.truetype(str(path), 12, index=index)
        except OSError:
            break
        if font.getname()[0] == face:
            return index
    return 0 if path.suffix.lower() != ".ttc" else None


@lru_cache(maxsize=8)
def find_fonts(dirs: tuple[str, ...] = FONT_DIRS) -> CardFonts:
    """Noto Sans CJK SC (bold and regular) under `dirs`; else a Latin font and no hanzi (logged once)."""
    cjk: dict[str, FontFile] = {}
    for weight, names in CJK_FILES.items():
        path = _find(names, dirs)
        index = _face_index(path, CJK_FACE) if path else None
        if path is not None and index is not None:
            cjk[weight] = FontFile(str(path), index)
    if len(cjk) == 2:
        return CardFonts(cjk["bold"], cjk["regular"], cjk=True)
    log.warning(
        "No Noto Sans CJK font under %s: nickname share images show the pinyin without the characters. "
        "Install Debian's fonts-noto-cjk (`make fonts`).",
        ", ".join(dirs),
    )
    latin = {weight: _find(names, dirs) for weight, names in LATIN_FILES.items()}
    bold, regular = (FontFile(str(path)) if path else None for path in (latin["bold"], latin["regular"]))
    return CardFonts(bold, regular, cjk=False)

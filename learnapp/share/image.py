"""The nickname share image as a PNG: what link previews show when a /n/<token> page is shared (chat apps
and social sites do not render SVG previews). Drawn by `share_drawing` in the fonts `share_fonts` finds.

Each image is drawn once and kept on disk (`cached_png`), named by the nickname's id and a hash of
everything drawn (`CardContent.key`): a new design or another font gives a new file, never a stale one."""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from learnapp.share.drawing import CardContent, render_png
from learnapp.share.fonts import CardFonts

log = logging.getLogger(__name__)


def cached_png(folder: Path, nickname_id: int, content: CardContent, fonts: CardFonts) -> bytes:
    """The card's PNG from `folder` (`<id>-<key>.png`), drawn and written there first when missing.
    Written to a temporary file and renamed, so a reader never sees half a file; older images of the
    same nickname are removed."""
    key = content.key(fonts)
    path = folder / f"{nickname_id}-{key}.png"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    data = render_png(content, fonts)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{nickname_id}-", suffix=".tmp")
    except OSError as error:  # a read-only disk: serve what was drawn, and say why nothing is kept
        log.warning("Cannot keep share images in %s: %s", folder, error)
        return data
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        log.warning("Cannot keep share images in %s: %s", folder, error)
        return data
    for old in folder.glob(f"{nickname_id}-*.png"):
        if old != path:
            old.unlink(missing_ok=True)
    return data


def forget(folder: Path, nickname_id: int) -> None:
    """Remove a nickname's images (when its page goes private, or the account goes)."""
    for old in folder.glob(f"{nickname_id}-*.png"):
        old.unlink(missing_ok=True)

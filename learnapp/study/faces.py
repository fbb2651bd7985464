"""The entry's side of a study card, rendered once per process for each entry content.

A card's front (its prompt) and answer (headword, pinyin, labels, meaning, example, where the learner met
it, stroke order) depend only on the entry's values, the card's kind, whether the server checks a typed
answer, and the learner's ruby setting; rendering them is most of the card's template. `card_face` keeps
the rendered HTML in a small per-process LRU keyed by exactly those, the entry by a digest of all its
values (so an edited entry, or a different sentence the learner met it in, is a different key: nothing
is ever stale, and nothing needs invalidating across processes). What does depend on the request (the
grade buttons, tokens, counts, a checked answer's feedback) stays in study/_card.html.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Any, NamedTuple

from flask import current_app
from markupsafe import Markup

from learnapp.templating import ruby_on

SIZE = 512  # faces kept per process: at most about 2 MB (a face is 1-4 KB of UTF-8)


class Face(NamedTuple):
    front: Markup
    back: Markup


class _Kept(NamedTuple):
    """A face as kept: UTF-8 (a str holding one emoji takes 4 bytes for every character, the speaker
    button's 🔊 included; decoding a few KB back costs microseconds)."""

    front: bytes
    back: bytes

    def face(self) -> Face:
        return Face(Markup(self.front.decode()), Markup(self.back.decode()))  # noqa: S704 (rendered by autoescaping Jinja)


_faces: OrderedDict[tuple[Any, ...], _Kept] = OrderedDict()
_lock = threading.Lock()  # the development server and threaded workers share the dict


def _digest(values: dict[str, Any]) -> bytes:
    """Every value of the entry (the row's columns and the learner's met sentence), as one short digest."""
    return hashlib.blake2b(repr(sorted(values.items())).encode(), digest_size=16).digest()


def card_face(entry: Any, kind: str, checked: bool) -> Face:
    """The entry's HTML for a card of `kind`: from the cache, or rendered and kept."""
    key = (kind, checked, ruby_on(), _digest(entry.values))
    with _lock:
        kept = _faces.get(key)
        if kept is not None:
            _faces.move_to_end(key)
            return kept.face()
    env = current_app.jinja_env
    kept = _Kept(
        env.get_template("study/_face_front.html").render(entry=entry, kind=kind, checked=checked).encode(),
        env.get_template("study/_face_back.html").render(entry=entry, kind=kind).encode(),
    )
    with _lock:
        _faces[key] = kept
        while len(_faces) > SIZE:
            _faces.popitem(last=False)
    return kept.face()

"""The live pinyin preview under the editor's headword: suggested pinyin, its spoken form, CC-CEDICT's
other readings and English glosses. Reads nothing from the database."""

from __future__ import annotations

from dataclasses import dataclass, field

from learnapp.access import require_teacher
from learnapp.chinese import cedict, has_hanzi, reading_for
from learnapp.content.entry import MAX_LENGTH
from learnapp.models import User


@dataclass(frozen=True)
class PinyinPreview:
    headword: str
    citation: str = ""
    spoken: str = ""
    other_readings: tuple[str, ...] = ()
    glosses: tuple[str, ...] = field(default_factory=tuple)


def pinyin_preview(user: User, headword: str) -> PinyinPreview:
    """Suggested citation pinyin (CC-CEDICT, then pypinyin with our overrides), its spoken form, and
    CC-CEDICT's English glosses to pick from. Reads nothing from the database."""
    require_teacher(user)
    text = " ".join("".join(c for c in (headword or "") if c.isprintable()).split())[: MAX_LENGTH["headword"]]
    if not has_hanzi(text):
        return PinyinPreview(headword=text)
    citation, spoken = reading_for(text)
    others = tuple(reading for reading in cedict.readings(text) if reading != citation)
    return PinyinPreview(
        headword=text,
        citation=citation,
        spoken=spoken,
        other_readings=others,
        glosses=cedict.glosses(text, citation),
    )


def suggested_pinyin(headword: str) -> str:
    """What the preview suggests for a headword ("" without hanzi): an edit form starts from it, so the
    pinyin follows a changed headword unless the teacher had written their own."""
    return reading_for(headword)[0] if has_hanzi(headword) else ""

"""A learner's meaning for an HSK word from its CC-CEDICT entries.

The dictionary lists senses as it found them: a simplified character that merges several traditional ones
(后 = 后 "empress" + 後 "behind") has one entry per traditional form, in no useful order; literary,
archaic and dialect senses sit beside everyday ones; vulgar and political side senses too. Here each
definition is cleaned (markup.clean) and sorted into one of four kinds:

- core: measure-word uses and the few senses a card must never lose ("o'clock", "to be called");
- everyday: what the card shows, in dictionary order, within a length budget;
- side: labelled literary, classical, archaic, old, dialect, onomatopoeia, slang, euphemism, Taiwan-only:
  shown only when the reading has nothing else;
- never: vulgar, sexual, derogatory or political side senses; never shown (a word taught for such a sense
  gets it from the override table).

Entries of one reading are ordered by how many everyday senses they carry, so the everyday traditional
form comes first. Pure: no Flask, no database.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from learnapp.chinese import cedict
from learnapp.chinese.cedict import CedictEntry
from learnapp.content.hsk.markup import classifiers, clean, is_classifier_sense

MEANING_BUDGET = 90  # characters of everyday senses on a card (core senses come on top)
NOTE_BUDGET = 45  # characters of senses in an "also read" note

_CORE = re.compile(r"o'clock|^to be called\b|^to be named\b|^measure word\b|^\(measure word\b", re.IGNORECASE)
_SIDE = re.compile(
    r"\((?:literary|classical|archaic|old|old usage|dialect|[a-z]+ dialect|onom\.?|onomatopoeia|"
    r"Cantonese|Tw|Taiwan|euphemism|euph\.|slang|Internet slang|[a-z ]*slang|humorous|obsolete|"
    r"in former times|arch\.|loanword from Japanese|Japanese|Buddhism|Daoism|TCM|Chinese medicine|math\.?|"
    r"mathematics|chemistry|physics|biology|geology|anatomy|botany|zoology|astronomy|linguistics|"
    r"grammar|electricity|computing|music|military|law|economics|philosophy|medicine|physiology|"
    r"statistics|geometry|politics|Chinese chess|chess|go|sports|mahjong)\)|"
    r"\b(?:archaic|literary|classical)\)?$|^old |^\(old\)|ancient Chinese compass point|Heavenly Stems|"
    r"earthly branch|orders of nobility|^one of the |^old unit|\bunit of (?:length|weight|volume|area) "
    r"(?:equal|equivalent)|^onomatopoeia|^\(onom|\bsound of |^(?:Japanese|Korean|Vietnamese):|"
    r"\bradical in Chinese characters|Kangxi radical",
    re.IGNORECASE,
)
_WHOLE_ENTRY = re.compile(r"^\((?:literary|classical|archaic|old|dialect)\)", re.IGNORECASE)
_NEVER = re.compile(
    r"\bfuck|penis|vagina|genital|\banus\b|\bbreasts\b|prostitute|semen|ovulate|\bbutch\b|homosexual|"
    r"erotic|pornograph|illicit sexual|sexuality|sexually|get off with|^sex$|\bkill\b.*\bslang|slang\b.*"
    r"\bkill\b|\(derog\.?\)|derogatory|\bdamned?\b|goddamn|pissed off|marijuana|methamphetamine|opium|"
    r"Islamization|Falun Gong|to censor|censorship|menstruation|anti-communist|reactionary|"
    r"Communists?'? (?:victory|party)|\(vulgar\)|\bvulgar\b.*\bslang|male prostitute|mistress of the house|"
    r"\(offensive\)|pejorative|boobies|\btits\b|lecherous|lustful|cuckold|\bto curse\b(?=.*\bslang)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Sense:
    text: str
    kind: str  # "core", "everyday" or "side"


def classify(text: str) -> str | None:
    """The kind of a cleaned sense; None for one never shown."""
    if _NEVER.search(text):
        return None
    if _CORE.search(text) or is_classifier_sense(text):
        return "core"
    if _SIDE.search(text):
        return "side"
    return "everyday"


@cache
def entry_senses(entry: CedictEntry) -> tuple[Sense, ...]:
    """The entry's shown senses. CC-CEDICT labels a literary or archaic entry on its first definition only
    (雨 yù "(literary) to rain / to precipitate / to wet"): then every sense of the entry is a side one."""
    senses: list[Sense] = []
    for definition in entry.definitions:
        text = clean(definition)
        kind = classify(text) if text else None
        if kind is not None:
            senses.append(Sense(text, kind))
    first = clean(entry.definitions[0]) if entry.definitions else ""
    if first and _WHOLE_ENTRY.match(first):
        senses = [Sense(s.text, "side") for s in senses]
    return tuple(senses)


@cache
def reading_entries(word: str, pinyin: str) -> tuple[CedictEntry, ...]:
    """The entries of `word` read `pinyin`, the everyday traditional form first; names only when the word
    is nothing else (中国 China)."""
    entries = [e for e in cedict.lookup(word) if e.pinyin == pinyin and not e.is_variant]
    common = [e for e in entries if not e.proper_noun] or entries

    def everyday(entry: CedictEntry) -> int:
        return sum(len(s.text.split("; ")) for s in entry_senses(entry) if s.kind != "side")

    return tuple(sorted(common, key=everyday, reverse=True))


@cache
def reading_senses(word: str, pinyin: str) -> tuple[Sense, ...]:
    """Every shown sense of one reading, in the entries' order, each text once."""
    seen: set[str] = set()
    senses: list[Sense] = []
    for entry in reading_entries(word, pinyin):
        for sense in entry_senses(entry):
            if sense.text.lower() not in seen:
                seen.add(sense.text.lower())
                senses.append(sense)
    return tuple(senses)


def compose(senses: Sequence[Sense], budget: int = MEANING_BUDGET) -> str:
    """Everyday senses in order within `budget` characters (at least one), then any core sense left out;
    side senses only when there is nothing else."""
    shown = [s for s in senses if s.kind != "side"] or list(senses)
    picked: list[Sense] = []
    length = 0
    for sense in shown:
        extra = len(sense.text) + (2 if picked else 0)
        if not picked or length + extra <= budget:
            picked.append(sense)
            length += extra
    picked += [s for s in shown if s.kind == "core" and s not in picked]
    return "; ".join(s.text for s in picked)


def meaning(word: str, pinyin: str, budget: int = MEANING_BUDGET) -> str:
    return compose(reading_senses(word, pinyin), budget)


def measure_words(word: str, pinyin: str) -> list[tuple[str, str]]:
    """The measure words CC-CEDICT names for `word` read `pinyin`: [("个", "gè"), ...]."""
    found: list[tuple[str, str]] = []
    for entry in reading_entries(word, pinyin):
        for definition in entry.definitions:
            for item in classifiers(definition):
                if item not in found:
                    found.append(item)
    return found


def everyday_count(word: str, pinyin: str) -> int:
    """How many everyday senses one reading has, counting "to tell; to inform" as two."""
    return sum(len(s.text.split("; ")) for s in reading_senses(word, pinyin) if s.kind != "side")

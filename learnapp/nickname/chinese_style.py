"""Chinese-style suggestions: a surname that belongs to the learner, and a given name Chinese parents choose.

The surname, in order of how much it is the learner's own: the surname of a Chinese name they typed; the
Chinese surname a romanised heritage surname comes from (Wong 黄, Nguyen 阮, Kim 金) or a Korean one typed
in Hangul; an English surname matched by sound or meaning (Smith 史, King 王); a common surname that starts
like their name; else one of the most common surnames.

The given name is a real two-character name from the reviewed table of pairs (思远, 欣怡, 浩然), or a
natural one-character name (静, 杰), for the feel and vibe asked for: never a free combination of
characters, which is how odd names happen.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache

from learnapp.nickname import tables
from learnapp.nickname.model import VIBES, NameChar, Suggestion
from learnapp.nickname.reading import TypedName, number, written_word
from learnapp.nickname.safety import problems
from learnapp.nickname.sound import spelled

_ALLOWED_FEELS = {
    "neutral": ("neutral",),
    "feminine": ("feminine", "neutral"),
    "masculine": ("masculine", "neutral"),
}
_FIRST_SOUNDS = (
    ("chr", "k"), ("chl", "k"), ("ch", "ch"), ("sh", "sh"), ("th", "th"), ("ph", "f"), ("wh", "w"),
    ("wr", "r"), ("kn", "n"), ("qu", "k"),
)  # fmt: skip


@dataclass(frozen=True)
class SurnameChoice:
    chars: tuple[str, ...]  # one surname, or a pool to rotate through
    reason: str  # "own", "heritage", "hangul", "sound", "meaning", "first" or "common"
    word: str  # the part of the learner's name it was chosen for
    heritage: tables.HeritageSurname | None = None


def first_sound(word: str) -> str:
    """The first sound of an English-spelled name, as a key of surname_sounds.toml."""
    w = word.lower()
    for prefix, sound in _FIRST_SOUNDS:
        if w.startswith(prefix):
            return sound
    first, after = w[:1], w[1:2]
    if first == "c":
        return "s" if after in ("e", "i", "y") else "k"
    if first == "g" and after in ("e", "i", "y"):
        return "j"
    if first == "y":
        return "y" if after in ("a", "e", "i", "o", "u") else "i"
    return first


def surname_choice(typed: TypedName, own_surname: str = "") -> SurnameChoice:
    if own_surname:
        return SurnameChoice((own_surname,), "own", typed.hanzi)
    if typed.hangul and typed.hangul[0] in tables.hangul_surnames():
        return SurnameChoice((tables.hangul_surnames()[typed.hangul[0]],), "hangul", typed.hangul[0])
    if not typed.latin:
        return SurnameChoice(tables.common_surnames(), "common", "")
    # words joined by a hyphen are a given name (Ji-min, Mary-Jane), never the surname: Seo-yeon alone has
    # no surname (its Seo is not 徐)
    words = [w for w in typed.latin.split() if w.lower() not in typed.hyphenated]
    given_only = not words
    words = words or typed.latin.split()
    # a one-word name is a given name first (Kim, Lee): a surname only when it is not a known given name
    candidates = words if len(words) > 1 else [w for w in words if w.lower() not in tables.foreign_names()]
    candidates = [] if given_only else candidates
    for word in reversed(candidates):
        heritage = tables.heritage_surnames().get(word.lower())
        if heritage:
            return SurnameChoice((heritage.hanzi,), "heritage", word, heritage)
        if word.lower() in tables.english_surnames():
            char, how = tables.english_surnames()[word.lower()]
            return SurnameChoice((char,), how, word)
    if len(words) == 1 and words[0].lower() in tables.heritage_surnames() and not given_only:
        heritage = tables.heritage_surnames()[words[0].lower()]
        return SurnameChoice((heritage.hanzi,), "heritage", words[0], heritage)
    word = (
        words[-1] if len(words) > 1 and len(words[-1]) >= 2 and not given_only else written_word(typed.latin)
    )
    pool = tables.surnames_by_sound().get(first_sound(word))
    if not pool:
        return SurnameChoice(tables.common_surnames(), "common", "")
    return SurnameChoice(pool, "first", word)


@cache
def given_names(feel: str, vibe: str) -> tuple[tuple[tables.GivenPair, ...], tuple[tables.GivenChar, ...]]:
    """The two-character names (pairs) and natural one-character names for this feel and vibe."""
    allowed = _ALLOWED_FEELS[feel]
    pairs = tuple(p for p in tables.given_pairs() if p.feel in allowed and vibe in p.vibes)
    singles = tuple(
        g for g in tables.given_chars().values() if g.single and g.feel in allowed and vibe in g.vibes
    )
    return pairs, singles


def _hanzi_of(given: tables.GivenPair | tables.GivenChar) -> str:
    return given.hanzi if isinstance(given, tables.GivenPair) else given.char


def _quote(meaning: str) -> str:
    return f"'{meaning}'"


def _given_chars(given: tables.GivenPair | tables.GivenChar) -> tuple[NameChar, ...]:
    if isinstance(given, tables.GivenChar):
        return (NameChar(given.char, given.pinyin, given.meaning),)
    chars = tables.given_chars()
    return tuple(
        NameChar(char, syllable, chars[char].meaning)
        for char, syllable in zip(given.hanzi, given.pinyin.split(), strict=True)
    )


def _candidate(surname: str, given: tables.GivenPair | tables.GivenChar) -> Suggestion:
    """The name without its explanations, for checking with problems() before writing them."""
    entry = tables.surnames()[surname]
    s_meaning = f"a surname; {entry.meaning}" if entry.meaning else "a surname"
    chars = (
        *(
            NameChar(char, syllable, s_meaning)
            for char, syllable in zip(surname, entry.pinyin.split(), strict=True)
        ),
        *_given_chars(given),
    )
    return Suggestion(
        hanzi="".join(c.char for c in chars),
        pinyin=" ".join(c.pinyin for c in chars),
        kind="chinese",
        chars=chars,
        why="",
        story="",
    )


def _surname_words(choice: SurnameChoice, surname: str) -> tuple[str, str]:
    """Why this surname, as a clause for `why` and a sentence for the story."""
    entry = tables.surnames()[surname]
    shown = f"{surname} {spelled(entry.pinyin.split())}"
    if choice.reason == "own":
        return f"{shown}, your surname", f"{surname} is your own surname, from {choice.word}."
    if choice.reason == "heritage" and choice.heritage:
        h = choice.heritage
        said = f"{choice.word} is {h.origin} {shown}"
        if h.also:
            said += f"; it can also be {h.also}"
        if h.note:
            said += f"; {h.note}"
        return f"{shown}, the Chinese surname of {choice.word} ({said})", f"{said}."
    if choice.reason == "hangul":
        said = f"the Korean surname {choice.word} is written {shown} in Chinese characters"
        return f"{shown}: {said}", f"{said[:1].upper()}{said[1:]}."
    if choice.reason == "sound":
        return (
            f"{shown}, a common surname, for the sound of {choice.word}",
            f"{surname} is a common surname, chosen for the sound of {choice.word}.",
        )
    if choice.reason == "meaning":
        return (
            f"{shown}, a surname that means {_quote(entry.meaning)}, like {choice.word}",
            f"{surname} is a surname that means {_quote(entry.meaning)}, like {choice.word}.",
        )
    if choice.reason == "first":
        return (
            f"{shown}, a surname that starts like {choice.word}",
            f"{surname} is a surname that starts like {choice.word}.",
        )
    return (
        f"{shown}, one of the most common surnames",
        f"{surname} is one of the most common Chinese surnames.",
    )


def _explained(
    candidate: Suggestion,
    given: tables.GivenPair | tables.GivenChar,
    choice: SurnameChoice,
    surname: str,
    feel_vibe: tuple[str, str],
    name: str,
) -> Suggestion:
    feel, vibe = feel_vibe
    surname_why, surname_story = _surname_words(choice, surname)
    given_hanzi = candidate.hanzi[len(surname) :]
    purpose = f"for a {vibe}, {feel} name" if feel != "neutral" else f"for a {vibe} vibe"
    why = f"{surname_why}; {given_hanzi} {_quote(given.meaning)} {purpose}."
    if isinstance(given, tables.GivenPair):
        a, b = _given_chars(given)
        given_story = (
            f"{given.hanzi} means {_quote(given.meaning)}: {a.char} {_quote(a.meaning)} and "
            f"{b.char} {_quote(b.meaning)}."
        )
    else:
        given_story = f"{given.char} means {_quote(given.meaning)}."
    opening = f"{name}'s Chinese name could be" if name else "A Chinese name chosen by meaning:"
    pinyin = spelled(candidate.pinyin.split(), given_from=len(surname))
    story = f"{opening} {candidate.hanzi} ({pinyin}). {surname_story} {given_story}"
    return replace(candidate, why=why, story=story)


def chinese_suggestions(
    typed: TypedName,
    feel: str,
    vibe: str | None,
    batch: tuple[int, int],
    taken: set[str],
    own_surname: str = "",
) -> list[Suggestion]:
    """`count` Chinese-style names for batch `more`, none of them in `taken` (which grows)."""
    more, count = batch
    choice = surname_choice(typed, own_surname)
    seed = (typed.latin.lower() or typed.hanzi or typed.hangul, feel, vibe or "", more)
    shapes = ["pair", "pair", "single", "pair", "pair"][:count]
    out: list[Suggestion] = []
    used_given: set[str] = set()
    rotation = number(*seed[:3], "surname")
    name = typed.latin or typed.hanzi
    for slot, shape in enumerate(shapes):
        # With no vibe asked for, each name takes one of its own.
        slot_vibe = vibe or VIBES[number(*seed, slot, "vibe") % len(VIBES)]
        pairs, singles = given_names(feel, slot_vibe)
        options: tuple[tables.GivenPair | tables.GivenChar, ...] = (
            singles if shape == "single" and singles else pairs
        )
        surname = choice.chars[(rotation + more * count + slot) % len(choice.chars)]
        # The options in an order of this name's own; each batch walks on from where the last stopped, so
        # "more" gives names not seen yet.
        order = sorted(options, key=lambda g: number(*seed[:3], slot_vibe, shape, _hanzi_of(g)))
        position = more * count + slot
        for attempt in range(60):
            if attempt == 30 and len(choice.chars) > 1:
                surname = choice.chars[(rotation + more * count + slot + 1) % len(choice.chars)]
            given = order[(position + attempt) % len(order)]
            given_hanzi = _hanzi_of(given)
            if given_hanzi in used_given or surname + given_hanzi in taken:
                continue
            candidate = _candidate(surname, given)
            if problems(candidate, own_surname):
                continue
            out.append(_explained(candidate, given, choice, surname, (feel, slot_vibe), name))
            used_given.add(given_hanzi)
            taken.add(candidate.hanzi)
            break
    return out

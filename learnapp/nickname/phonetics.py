"""How a name is said: its language guessed from its spelling, then its sounds, one phoneme a list item.

Chinese writes a foreign name by how it sounds, so the letters have to be read the way the name's own
language reads them: Siobhan is shi-VAWN, Juan is HWAN, João ends in a nasal -ão, German w is v, Nordic j
is y. English has its own rules (silent final e, long vowels); every other language here is first
respelled into a plain spelling read letter by letter (a e i o u as in Italian; ch sh zh ts), which
`plain_phonemes` takes apart.

The sounds are consonants (b, ch, th, ...) and the vowels a e i o u, ei (as in day), ai (as in my) and
"ang" (Portuguese -ão, which Chinese writes with 昂).
"""

from __future__ import annotations

import re

from learnapp.nickname import tables

VOWEL_SOUNDS = frozenset({"a", "e", "i", "o", "u", "ei", "ai", "ang"})
_CONSONANT_LETTERS = frozenset("bcdfghjklmnpqrstvwxz")
NASAL_AO = "Q"  # stands for Portuguese -ão in a plain spelling

# Letters (before accents are stripped) that say which language a name is in.
_MARKS = (
    ("vietnamese", "ăâêôơưđạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"),
    ("nordic", "åøæ"),
    ("portuguese", "ãõ"),
    ("spanish", "ñ¿"),
    ("turkish", "şğı"),
    ("slavic", "čšžřěůłąęśźżńć"),
    ("german", "äöüß"),
    ("italian", "àèìòù"),
    ("french", "çêëîïôûœ"),
)
_SCRIPTS = {"cyrillic": "slavic", "greek": "greek", "hangul": "korean"}

# Spelling patterns of the bare letters, tried in order when no mark decided: (language, pattern).
_PATTERNS = (
    ("slavic", r"(sz|ov|ova|ev|eva|sky|ski|ska|cki|enko|vich|ovna|yev|yov|ij|iew)$"
               r"|^(zh|kh|vl|vs|dm|zb)|cz|rz"),
    ("southasian", r"^(bh|dh|gh|jh|kh|ph|th|chh)[aeiou]|[^s](bh|dh)"
                   r"|(preet|deep|jeet|endra|esh|ish|jit|arth)$"),
    ("irish", r"(?<=[aeiou])(bh|mh)|aoi|^ao|ao(?=[bcdfghlmnrst])|agh$|^(sio|nia|cao|sao|ui)"),
    ("arabic", r"^(abd|abu)|q(?!u)|(kh|gh|dh)(?=[aeiou])|(ou|aa)[^aeiou]"),
    ("german", r"sch|tz"),
    ("nordic", r"^(bj|kj|sj|hj|fj|tj)|aa|dt$"),
    ("italian", r"gli|gn|cch|cci|zz|ggi|(?<=[aeiou])(ci|gi)[aou]|^(ci|gi)[aou]|chiar"),
    ("portuguese", r"^joa|(ao|aes|oes|eus)$|(nh|lh)[aeiou]"),
    ("spanish", r"(ez|iz)$|rr|^ju[ae]|(ito|ita)$"),
    ("korean", r"yeo|^seo|^jeo|eun|eul|^(hy|hw|ky)"),
    ("vietnamese", r"^(ng|nh)[aeiouy]|uy|nh$"),
)  # fmt: skip


def guess_language(word: str, raw: str = "", script: str | None = None) -> str:
    """The language `word` (lowercase ASCII) is most likely in: a listed pronunciation's, the one its
    accents or script show (`raw` is the name as typed), else the first spelling pattern it fits;
    "english" by default."""
    known = tables.pronunciations().get(word)
    if known:
        return known[0]
    if script in _SCRIPTS:
        return _SCRIPTS[script]
    lowered = raw.lower()
    for language, marks in _MARKS:
        if any(mark in lowered for mark in marks):
            return language
    for language, pattern in _PATTERNS:
        if re.search(pattern, word):
            return language
    return "english"


# --- English -----------------------------------------------------------------------------------------

_VOWEL_GROUPS = (
    ("ai", ["ei"]), ("ay", ["ei"]), ("ei", ["ei"]), ("ey", ["ei"]), ("ee", ["i"]), ("ea", ["i"]),
    ("ie", ["i"]), ("oo", ["u"]), ("ou", ["u"]), ("ue", ["u"]), ("ew", ["u"]), ("eu", ["u"]),
    ("oa", ["o"]), ("oe", ["o"]), ("ow", ["o"]), ("au", ["o"]), ("aw", ["o"]), ("oi", ["o", "i"]),
    ("oy", ["o", "i"]), ("eo", ["i", "o"]),
)  # fmt: skip
_LONG_VOWEL = {"a": "ei", "e": "i", "i": "ai", "y": "ai", "o": "o", "u": "u"}


def _collapse(word: str) -> str:
    """Double consonants as one (Anna -> Ana, Matteo -> Mateo)."""
    out = word[:1]
    for char in word[1:]:
        if not (char == out[-1] and char in _CONSONANT_LETTERS):
            out += char
    return out


def _respell_english(word: str) -> str:
    """English spelling -> a plainer spelling of its sounds (ph -> f, ck -> k, soft c -> s, ...)."""
    w = word
    for old, new in (("wr", "r"), ("kn", "n"), ("ps", "s"), ("gn", "n")):
        if w.startswith(old):
            w = new + w[2:]
    if w.startswith("x"):
        w = "z" + w[1:]
    if w.startswith(("chr", "chl")):
        w = "k" + w[2:]
    if w.startswith("mc"):
        w = "mak" + w[2:]
    for old, new in (("tch", "ch"), ("sch", "sh"), ("ph", "f"), ("ck", "k"), ("qu", "kw"), ("wh", "w")):
        w = w.replace(old, new)
    w = w[:1] + w[1:].replace("gh", "")
    w = w[:1] + re.sub(r"(?<=[aeiouy])h", "", w[1:])  # Sarah, John, Hannah: an h after a vowel is silent
    w = w.replace("dg", "j").replace("x", "ks").replace("q", "k")
    out = []
    for i, char in enumerate(w):
        after = w[i + 1 : i + 2]
        if char == "c" and after != "h":
            out.append("s" if after in ("e", "i", "y") else "k")
        elif char == "g" and after in ("e", "i", "y") and i + 1 < len(w):
            out.append("j")
        else:
            out.append(char)
    return _collapse("".join(out))


def english_phonemes(word: str) -> list[str]:
    """The sounds of an English name: silent final e, long vowels before it (Kate, Mike), vowel groups."""
    w = _respell_english(word)
    long_at = -1
    if (
        len(w) >= 4
        and w.endswith("e")
        and w[-2] in _CONSONANT_LETTERS
        and w[-3] in "aeiouy"
        and w[-4] not in "aeiouy"
    ):
        long_at = len(w) - 3  # Kate, Mike, Kyle, Jude: the silent e makes the vowel before it long
        w = w[:-1]
    elif len(w) >= 3 and w.endswith("e") and w[-2] in _CONSONANT_LETTERS and w[-2] != "l":
        w = w[:-1]
    out: list[str] = []
    i = 0
    while i < len(w):
        pair = w[i : i + 2]
        if pair in ("ch", "sh", "th"):
            out.append(pair)
            i += 2
            continue
        char = w[i]
        if char == "y":
            out.append("y" if i == 0 and w[1:2] in tuple("aeiou") else "i")
            i += 1
            continue
        group = next((sounds for letters, sounds in _VOWEL_GROUPS if w.startswith(letters, i)), None)
        if group:
            out.extend(group)
            i += 2
            continue
        out.append(_LONG_VOWEL[char] if i == long_at else char)
        i += 1
    return out


# --- other languages: respelled, then read letter by letter ---------------------------------------------

_RULES: dict[str, tuple[tuple[str, str], ...]] = {
    "spanish": (
        (r"(?<!c)h", ""), (r"ll(?=[aeiou])", "y"), (r"gu(?=[ei])", "g"), (r"g(?=[ei])", "h"), (r"^x", "h"),
        (r"j", "h"), (r"qu", "k"), (r"c(?=[ei])", "s"), (r"z", "s"), (r"v", "b"), (r"y$", "i"),
    ),
    "portuguese": (
        (r"ao$", NASAL_AO), (r"lh", "li"), (r"nh", "ni"), (r"ch", "sh"), (r"^x|(?<=[aeiou])x", "sh"),
        (r"j", "zh"), (r"g(?=[ei])", "zh"), (r"qu(?=[ei])", "k"), (r"c(?=[ei])", "s"),
        (r"(?<![cnls])h", ""), (r"(?<=[^aeiou])e$", ""),
    ),
    "italian": (
        (r"gli", "li"), (r"gn", "ni"), (r"sc(?=[ei])", "sh"), (r"ch", "k"), (r"gh", "g"),
        (r"ci(?=[aou])", "ch"), (r"gi(?=[aou])", "j"), (r"c(?=[ei])", "ch"), (r"g(?=[ei])", "j"),
        (r"qu", "kw"), (r"h", ""),
    ),
    "french": (
        (r"eaux?$|aux?$", "o"), (r"eau|au", "o"), (r"ou", "u"), (r"oi", "wa"), (r"ch", "sh"), (r"j", "zh"),
        (r"g(?=[eiy])", "zh"), (r"gn", "ni"), (r"qu", "k"), (r"(?<=[aeiou])ill", "y"), (r"th", "t"),
        (r"ph", "f"), (r"(?<!c)h", ""), (r"ier$", "ie"), (r"e[rz]$", "e"), (r"(?<=[^aeiou])e$", ""),
        (r"[stdxzp]$", ""), (r"y", "i"), (r"eu", "e"),
    ),
    "german": (
        (r"tsch", "ch"), (r"sch", "sh"), (r"(?<=[aou])ch", "h"), (r"ch", "sh"), (r"ei", "ai"), (r"ie", "i"),
        (r"eu|au(?=i)", "oi"), (r"ck", "k"), (r"ph", "f"), (r"th", "t"), (r"qu", "kv"), (r"tz|z", "ts"),
        (r"v", "f"), (r"w", "v"), (r"j", "y"), (r"(?<=[aeiou])h", ""), (r"^s(?=[aeiou])", "z"),
        (r"dt$", "t"),
    ),
    "nordic": (
        (r"^(sj|skj|stj)", "sh"), (r"^(kj|tj)", "ch"), (r"^hj", "y"), (r"^g(?=[ei])", "y"), (r"j", "y"),
        (r"aa", "o"), (r"ae", "e"), (r"w", "v"), (r"z", "s"), (r"dt$", "t"), (r"(?<=[aeiou])h", ""),
    ),
    "slavic": (
        (r"szcz|shch", "shch"), (r"sz", "sh"), (r"cz", "ch"), (r"rz", "zh"), (r"kh", "h"),
        (r"(?<![sczk])h", "h"), (r"w", "v"), (r"j", "y"), (r"c(?!h)", "ts"), (r"iy$|ij$", "i"),
        (r"ie", "ye"), (r"(?<=[aeiou])y(?=[^aeiou]|$)", "i"),
    ),
    "greek": (
        (r"ou", "u"), (r"ai", "e"), (r"(ei|oi)", "i"), (r"mp", "b"), (r"nt", "d"), (r"gk", "g"),
        (r"ch", "h"), (r"th", "s"), (r"y", "i"),
    ),
    "turkish": ((r"c", "j"), (r"j", "zh"),),
    "arabic": (
        (r"['`]", ""), (r"kh", "h"), (r"gh", "g"), (r"q", "k"), (r"dh", "z"), (r"th", "s"), (r"ou", "u"),
        (r"ee", "i"), (r"oo", "u"), (r"aa", "a"), (r"ay", "ai"), (r"(?<=[aeiou])h(?=[^aeiou]|$)", ""),
    ),
    "southasian": (
        (r"chh", "ch"), (r"aa", "a"), (r"ee", "i"), (r"oo", "u"), (r"bh", "b"), (r"dh", "d"), (r"th", "t"),
        (r"kh", "k"), (r"gh", "g"), (r"jh", "j"), (r"ph", "p"), (r"w", "v"), (r"au", "o"),
        (r"(?<=[aeiou])h(?=[^aeiou]|$)", ""),
    ),
    "vietnamese": (
        (r"^ngh?", "n"), (r"nh$", "n"), (r"nh", "ni"), (r"ph", "f"), (r"th", "t"), (r"tr", "ch"),
        (r"^gi", "z"),
        (r"kh", "h"), (r"qu", "kw"), (r"x", "s"), (r"uy", "wi"), (r"oa", "wa"), (r"y", "i"), (r"c$", "k"),
    ),
    "korean": ((r"yeo", "yo"), (r"eo", "o"), (r"eu", "e"), (r"ae", "e"), (r"oe", "we"), (r"ui", "wi"),),
    "irish": (
        (r"(?<=[aeiou])(bh|mh)", "v"), (r"^(bh|mh)", "v"), (r"ao", "i"), (r"(?<=[aeiou])(dh|gh)", ""),
        (r"^s(?=[ei])", "sh"), (r"ch", "h"), (r"c", "k"), (r"ea", "a"), (r"ai", "a"), (r"oi", "o"),
    ),
}  # fmt: skip
_FOREIGN_LIKE = {"persian": "arabic", "welsh": "english", "en": "english", "westafrican": "plain",
                 "eastafrican": "plain", "southernafrican": "plain"}  # fmt: skip


def respell(word: str, language: str) -> str:
    """`word` in the plain spelling `plain_phonemes` reads, by the rules of `language`."""
    w = word
    for pattern, replacement in _RULES.get(_FOREIGN_LIKE.get(language, language), ()):
        w = re.sub(pattern, replacement, w)
    w = re.sub(r"(?<=[aeiou])(ny|ly)(?=[aeiou])", lambda m: m.group(0)[0] + "i", w)
    return _collapse(w)


_PLAIN_CONSONANTS = ("shch", "ch", "sh", "zh", "ts", "th", "kh", "ph", "gh")
_PLAIN_SOUND = {"shch": "sh", "kh": "h", "ph": "f", "gh": "g", "th": "t", "c": "k", "q": "k", "x": "ks"}


def plain_phonemes(spelled: str) -> list[str]:
    """The sounds of a plain spelling: every vowel letter is a vowel (ai and ei as one), y before a vowel
    is a consonant, ch sh zh ts are one consonant each."""
    out: list[str] = []
    i = 0
    while i < len(spelled):
        if spelled[i] == NASAL_AO:
            out.append("ang")
            i += 1
            continue
        group = next((g for g in _PLAIN_CONSONANTS if spelled.startswith(g, i)), None)
        if group:
            out.append(_PLAIN_SOUND.get(group, group))
            i += len(group)
            continue
        pair = spelled[i : i + 2]
        if pair in ("ai", "ay", "ei", "ey") and (i + 2 == len(spelled) or spelled[i + 2] not in "aeiou"):
            out.append("ai" if pair[0] == "a" else "ei")
            i += 2
            continue
        char = spelled[i]
        if char == "y":
            out.append("y" if spelled[i + 1 : i + 2] in tuple("aeiou") else "i")
        elif char == "x":
            out.extend(["k", "s"])
        else:
            out.append(_PLAIN_SOUND.get(char, char))
        i += 1
    return out


def phonemes(word: str, language: str) -> list[str]:
    """The sounds of `word` (lowercase ASCII) said as in `language`; a listed pronunciation first."""
    known = tables.pronunciations().get(word)
    if known:
        return plain_phonemes(_collapse(known[1]))
    if language == "english":
        return english_phonemes(word)
    return plain_phonemes(respell(word, language))

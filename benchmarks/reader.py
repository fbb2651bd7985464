"""The reader's segmenter (learnapp.chinese.segment) on pasted text.

1. Warm-up in a fresh process: loading CC-CEDICT, then building the segmenter's index, with the resident
   memory (VmRSS) each adds and the index's own allocations (tracemalloc).
2. Segmenting 5,000 characters of real-style posts (the hand-cut posts of tests/unit/segment_posts.py,
   one after another until 5,000 characters): median and p99 per text, in milliseconds, wall time and
   CPU time (the machine is shared: CPU time is the figure without the others' work); the same for the
   pinyin of every token (citation and spoken) on top of the cuts. As in production (learnapp/wsgi.py),
   the warm dictionaries are frozen out of the garbage collector's passes first: without that, a full
   collection walking CC-CEDICT's half a million objects lands in about one run in a hundred (p99 ~100 ms).
3. The reader's page (learnapp/reader) on 5,000 characters, on a real database (SQLite, migrated, the
   curated decks and HSK 1-3 loaded, a learner studying HSK 1-2 with a third of their cards in review):
   the page data at the service level (segment, pinyin, the learner's card states in one query, the
   words' HTML), the whole page rendered, and through the test client: GET /read/<id> (the page),
   POST /read (a new text checked and saved, the redirect) and GET of a word's card (the htmx popover).
   Median and p99, wall time and CPU time.
4. How well each way of cutting hanzi matches the hand cuts of those posts (hard cases included): forward
   and backward maximum matching, the two compared (fewer words, then fewer single characters, then
   backward), the fewest-words programme that sandhi used, and the segmenter's. Counted over the hanzi
   words only (each method sees the same dictionary: CC-CEDICT plus the curated headwords), as
   precision, recall and F1 of the words' spans, and posts cut exactly right.
"""

from __future__ import annotations

import gc
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
LENGTH = 5_000
_HANZI = regex.compile(r"\p{Han}+")

_WARM_UP = """
import json, time, tracemalloc
def rss():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) * 1024
before = rss()
started = time.perf_counter()
from learnapp.chinese.cedict import dictionary
dictionary()
loaded = time.perf_counter()
after_cedict = rss()
tracemalloc.start()
from learnapp.chinese.lexicon import lexicon
index = lexicon()
traced = tracemalloc.get_traced_memory()[0]
tracemalloc.stop()
built = time.perf_counter()
lexicon.cache_clear()
rebuild = time.perf_counter()
index = lexicon()
rebuilt = time.perf_counter()
print(json.dumps({"cedict_s": loaded - started, "cedict_rss": after_cedict - before,
                  "index_s": rebuilt - rebuild, "index_rss": rss() - after_cedict, "traced": traced,
                  "keys": len(index.flags)}))
"""


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def curated_headwords() -> dict[str, str]:
    """Every curated headword of the deck files (HSK decks left out), as the web feature builds it."""
    from learnapp.content.deckfile import parse_deck_file

    curated: dict[str, str] = {}
    for path in sorted((ROOT / "decks").glob("*.toml")):
        if not path.name.startswith("hsk-"):
            deck = parse_deck_file(path)
            for entry in deck.entries:
                curated.setdefault(entry.headword, f"{deck.slug}:{entry.key}")
    return curated


def sample_text(length: int = LENGTH) -> str:
    from tests.unit.segment_posts import POSTS, text

    posts = [text(post) for post in POSTS]
    out: list[str] = []
    size = 0
    while size < length:
        for post in posts:
            out.append(post)
            size += len(post) + 1
    return "\n".join(out)[:length]


# -- ways of cutting a run of hanzi, for the comparison ---------------------------------------------------


def forward(run: str, words: set[str], longest: int) -> list[str]:
    out, i = [], 0
    while i < len(run):
        j = next((j for j in range(min(len(run), i + longest), i + 1, -1) if run[i:j] in words), i + 1)
        out.append(run[i:j])
        i = j
    return out


def backward(run: str, words: set[str], longest: int) -> list[str]:
    out, j = [], len(run)
    while j > 0:
        i = next((i for i in range(max(0, j - longest), j - 1) if run[i:j] in words), j - 1)
        out.append(run[i:j])
        j = i
    return out[::-1]


def bidirectional(run: str, words: set[str], longest: int) -> list[str]:
    ahead, behind = forward(run, words, longest), backward(run, words, longest)
    if len(ahead) != len(behind):
        return min(ahead, behind, key=len)
    singles = sum(len(w) == 1 for w in ahead), sum(len(w) == 1 for w in behind)
    return ahead if singles[0] < singles[1] else behind


def fewest(run: str, words: set[str], longest: int) -> list[str]:
    """The fewest dictionary words, ties to the longer last word (sandhi's words_of before the reader)."""
    best: list[tuple[int, int] | None] = [None] * (len(run) + 1)
    best[0] = (0, 0)
    for end in range(1, len(run) + 1):
        for start in range(max(0, end - longest), end):
            head = best[start]
            if head is None or (end - start > 1 and run[start:end] not in words):
                continue
            if best[end] is None or head[0] + 1 < best[end][0]:  # type: ignore[index]
                best[end] = (head[0] + 1, start)
    out, end = [], len(run)
    while end > 0:
        start = best[end][1]  # type: ignore[index]
        out.append(run[start:end])
        end = start
    return out[::-1]


def _spans(text: str, pieces: list[str]) -> set[tuple[int, int]]:
    spans, at = set(), 0
    for piece in pieces:
        if _HANZI.fullmatch(piece):
            spans.add((at, at + len(piece)))
        at += len(piece)
    return spans


def accuracy() -> list[tuple[str, str]]:
    from learnapp.chinese.lexicon import WORD, lexicon
    from learnapp.chinese.segment import Segmenter
    from tests.unit.segment_posts import HARD, POSTS, cuts, text

    curated = curated_headwords()
    segmenter = Segmenter(curated)
    words = {word for word, flags in lexicon().flags.items() if flags & WORD}
    words |= {headword for headword in curated if _HANZI.fullmatch(headword)}
    longest = max(map(len, words))
    posts = [*POSTS, *(post for post, _ in HARD)]

    def by_runs(method):  # type: ignore[no-untyped-def]
        def cut(post: str) -> list[str]:
            pieces: list[str] = []
            for piece in regex.split(r"(\p{Han}+)", post):
                pieces.extend(method(piece, words, longest) if _HANZI.fullmatch(piece) else [piece])
            return pieces

        return cut

    methods = {
        "forward maximum matching": by_runs(forward),
        "backward maximum matching": by_runs(backward),
        "bidirectional maximum matching": by_runs(bidirectional),
        "fewest words (sandhi's old words_of)": by_runs(fewest),
        "the segmenter": lambda post: [token.text for token in segmenter.segment(post)],
    }
    rows = []
    for name, method in methods.items():
        right = found = wanted = exact = 0
        for post in posts:
            source = text(post)
            expected, got = _spans(source, cuts(post)), _spans(source, method(source))
            right += len(expected & got)
            found += len(got)
            wanted += len(expected)
            exact += expected == got
        precision, recall = right / found, right / wanted
        f1 = 2 * precision * recall / (precision + recall)
        rows.append(
            (
                f"reader cuts vs hand cuts, {name}",
                f"P {precision:.1%}, R {recall:.1%}, F1 {f1:.1%}; posts exactly right {exact}/{len(posts)}",
            )
        )
    return rows


def _timed(label: str, call, repeat: int) -> tuple[str, str]:
    timings, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        cpu.append((time.process_time() - started_cpu) * 1000)
        timings.append((time.perf_counter() - started) * 1000)
    return (
        f"reader page: {label}",
        f"median {statistics.median(timings):.1f} ms, p99 {_percentile(timings, 0.99):.1f} ms "
        f"(CPU time: median {statistics.median(cpu):.1f} ms, p99 {_percentile(cpu, 0.99):.1f} ms; "
        f"{repeat} runs)",
    )


def page_figures(repeat: int = 100) -> list[tuple[str, str]]:
    """The reader's page on 5,000 characters: service level, rendered, and over the test client."""
    import tempfile
    from datetime import UTC, datetime

    from flask import render_template
    from flask_login import login_user
    from flask_migrate import upgrade
    from sqlalchemy import select, update
    from werkzeug.security import generate_password_hash

    from learnapp import create_app
    from learnapp.decks.loader import load_directory
    from learnapp.decks.service import enroll
    from learnapp.extensions import db
    from learnapp.models import CardState, User
    from learnapp.reader import service
    from learnapp.reader.service import TextFields

    now = datetime.now(UTC)
    sample = sample_text()
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'reader.db'}",
                "SECRET_KEY": "bench",
                "WTF_CSRF_ENABLED": False,
                "WARM_DICTIONARIES": False,
                "RATELIMIT_ENABLED": False,
            }
        )
        with app.app_context():
            upgrade(directory=str(ROOT / "migrations"))
            decks = ROOT / "decks"
            paths = [p for p in sorted(decks.glob("*.toml")) if not p.name.startswith("hsk-")]
            load_directory(decks, now, paths=[*paths, *(decks / f"hsk-{n}.toml" for n in (1, 2, 3))])
            user = User(
                username="reader",
                username_key="reader",
                email="reader@example.com",
                password_hash=generate_password_hash("x", method="pbkdf2:sha256:1"),
                role="learner",
                created_at=now,
                preferences={},
                onboarding_step="done",
            )
            db.session.add(user)
            db.session.commit()
            for slug in ("hsk-1", "hsk-2"):
                enroll(user, slug, now)
            db.session.execute(
                update(CardState)
                .where(CardState.user_id == user.id, CardState.card_id % 3 == 0)
                .values(state="review", stability=30.0, due=now)
            )
            db.session.commit()
            states = db.session.scalar(select(db.func.count()).where(CardState.user_id == user.id))
            text, _ = service.save_text(user, TextFields(sample, title="bench"), now)
            text_id = text.id
            word = next(
                piece for piece in service.reading(user, text).pieces if len(piece.text) > 1 and piece.key
            )
            gc.freeze()
            word_url = f"/read/{text_id}/word"
            rows.append(
                _timed(
                    f"page data, {len(sample):,} characters, a learner with {states:,} card states "
                    "(segment, pinyin, one knowledge query, the words' HTML)",
                    lambda: service.reading(user, text).body_html(word_url),
                    repeat,
                )
            )
            with app.test_request_context(f"/read/{text_id}"):
                login_user(user)
                found = service.readable(user, text_id)

                def render() -> str:
                    view = service.reading(user, found.text, found)
                    return render_template(
                        "reader/text.html",
                        view=view,
                        found=found,
                        publish_form=None,
                        published=[],
                        labels=service.STATE_LABELS,
                    )

                rows.append(_timed("page data + the whole page rendered (Jinja)", render, repeat))
            client = app.test_client()
            client.post("/login", data={"login": "reader", "password": "x"})
            assert client.get(f"/read/{text_id}").status_code == 200
            rows.append(
                _timed(
                    "GET /read/<id> through the test client", lambda: client.get(f"/read/{text_id}"), repeat
                )
            )
            counter = iter(range(10**6))

            def paste() -> None:
                response = client.post("/read", data={"text": f"{next(counter)}{sample[:4_990]}"})
                assert response.status_code == 303, response.status_code

            rows.append(_timed("POST /read (a new text: checked, saved, redirected)", paste, repeat))
            assert client.get(f"{word_url}?at={word.at}&n={len(word.text)}").status_code == 200
            rows.append(
                _timed(
                    "GET a word's card (htmx popover)",
                    lambda: client.get(
                        f"{word_url}?at={word.at}&n={len(word.text)}", headers={"HX-Request": "true"}
                    ),
                    repeat,
                )
            )
            gc.unfreeze()
            db.session.remove()
            db.engine.dispose()
    return rows


def run(repeat: int = 200) -> list[tuple[str, str]]:
    warm = json.loads(
        subprocess.run(
            [sys.executable, "-c", _WARM_UP], capture_output=True, text=True, check=True, cwd=ROOT
        ).stdout
    )
    rows = [
        (
            "reader: load CC-CEDICT (fresh process)",
            f"{warm['cedict_s'] * 1000:.0f} ms, resident memory +{warm['cedict_rss'] / 2**20:.1f} MiB",
        ),
        (
            "reader: build the segmenter's index",
            f"{warm['index_s'] * 1000:.0f} ms, {warm['keys']:,} keys, resident memory "
            f"+{warm['index_rss'] / 2**20:.1f} MiB (allocations traced: {warm['traced'] / 2**20:.1f} MiB)",
        ),
    ]
    from learnapp.chinese.reading import readings
    from learnapp.chinese.segment import Segmenter

    segmenter = Segmenter(curated_headwords())
    sample = sample_text()
    segmenter.segment(sample)
    readings(segmenter.segment(sample))
    gc.freeze()
    for label, call in (
        ("segment", lambda: segmenter.segment(sample)),
        ("segment + pinyin (citation and spoken)", lambda: readings(segmenter.segment(sample))),
    ):
        timings, cpu = [], []
        for _ in range(repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            call()
            cpu.append((time.process_time() - started_cpu) * 1000)
            timings.append((time.perf_counter() - started) * 1000)
        rows.append(
            (
                f"reader: {label}, {len(sample):,} characters ({len(segmenter.segment(sample)):,} tokens)",
                f"median {statistics.median(timings):.2f} ms, p99 {_percentile(timings, 0.99):.2f} ms "
                f"(CPU time: median {statistics.median(cpu):.2f} ms, p99 {_percentile(cpu, 0.99):.2f} ms; "
                f"{repeat} runs)",
            )
        )
    return rows + page_figures() + accuracy()


if __name__ == "__main__":
    results = run()
    width = max(len(name) for name, _ in results)
    for name, value in results:
        print(f"{name.ljust(width)}  {value}")

"""Content: loading every deck in decks/ (HSK 1-6 included) and wiki search over all entries.

1. `decks load` of the whole decks/ folder into a fresh, migrated SQLite database: wall time of the first
   load (everything new) and of a second load (everything unchanged).
2. Wiki search at the service level (learnapp.wiki.service.search, the SQL and the ranking) for a mix of
   queries (hanzi, pinyin with and without tones, English, no match), each repeated; median and worst
   per query kind, in milliseconds. The page render is measured too, through Flask's test client.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = {
    "hanzi": ["谢谢", "你", "中国", "红包"],
    "pinyin, no tones": ["xie xie", "nihao", "zhongguo", "shi"],
    "pinyin, tones": ["ni3hao3", "nǐ hǎo", "xie4xie5", "shi4"],
    "english": ["thank", "red envelope", "to be", "happy"],
    "no match / odd": ["qqqqqq", "%", "'; drop table entries; --", "x" * 100],
}


def run(repeat: int = 20) -> list[tuple[str, str]]:
    from flask_migrate import upgrade

    from learnapp import create_app
    from learnapp.decks.loader import load_directory
    from learnapp.extensions import db
    from learnapp.models import Entry
    from learnapp.wiki import service

    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "content.db"
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "SECRET_KEY": "bench"})
        with app.app_context():
            upgrade(directory=str(ROOT / "migrations"))
            for label in ("first load, all new", "second load, unchanged"):
                started = time.perf_counter()
                report = load_directory(ROOT / "decks", datetime.now(UTC))
                elapsed = time.perf_counter() - started
                entries = sum(r.created + r.updated + r.unchanged for r in report.loaded)
                rows.append((f"decks load: {label}", f"{elapsed:.2f} s for {entries:,} entries"))
            total = db.session.query(Entry).count()
            for kind, queries in QUERIES.items():
                timings = []
                for text in queries:
                    query = service.Query(text=text)
                    for _ in range(repeat):
                        started = time.perf_counter()
                        service.search(query)
                        timings.append((time.perf_counter() - started) * 1000)
                        db.session.rollback()
                rows.append(
                    (
                        f"wiki search over {total:,} entries: {kind}",
                        f"median {statistics.median(timings):.1f} ms, worst {max(timings):.1f} ms",
                    )
                )
            client = app.test_client()
            timings = []
            for text in ("xie xie", "thank", "谢谢"):
                for _ in range(repeat):
                    started = time.perf_counter()
                    response = client.get("/wiki", query_string={"q": text}, headers={"HX-Request": "true"})
                    timings.append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 200
            rows.append(
                (
                    "wiki search, whole request (htmx fragment)",
                    f"median {statistics.median(timings):.1f} ms, worst {max(timings):.1f} ms",
                )
            )
            db.engine.dispose()
    return rows

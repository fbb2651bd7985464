"""Short profiles of `make loadtest` and `make soak` (the long runs have their own commands): the real
deployment on this machine (two gunicorn app servers behind nginx, a SQLite file), driven by Locust's
simulated learners for a few seconds. Figures are not asserted (speed is measured, never asserted);
errors, pages and the database's consistency are."""

import importlib.util
import random
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.load


@pytest.fixture(autouse=True)
def tools():
    # find_spec, not importorskip: importing Locust would monkey-patch this process with gevent
    if importlib.util.find_spec("locust") is None:
        pytest.skip("Locust is the load extra: make load-tools")
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        pytest.skip("nginx is not installed: make load-tools")


def test_loadtest_short_profile_serves_every_page_without_an_error(tmp_path):
    from loadtest.run import Options, load_test

    options = Options(
        databases=["sqlite"],
        stages=[4],
        stage_seconds=12,
        spawn_rate=4,
        workers=1,
        think=0.05,
        decks="starter",
        postgres_url=None,
        redis_url=None,
        tour=True,
    )
    [stage] = load_test("sqlite", options, tmp_path / "sqlite")
    assert stage.users == 4
    assert stage.ramp is not None  # the learners' arrival, measured before the hold
    assert stage.errors == 0, (stage.statuses, stage.ramp.statuses)
    assert set(stage.non_2xx) | set(stage.ramp.non_2xx) <= {303}  # the plain forms' redirects only
    seen = set(stage.pages) | set(stage.ramp.pages)
    for page in (
        "GET /signup",
        "POST /signup",
        "GET /welcome/goals",
        "POST /welcome/goals",
        "GET /login",
        "POST /login",
        "GET /study",
        "POST /study/answer (htmx)",
        "POST /study/answer",
        "GET /wiki",
        "GET /wiki?q (htmx)",
        "GET /wiki/<deck>/<entry>",
        "GET /stats",
        "GET /",
        "GET /decks",
        "GET /decks/<slug>",
    ):
        assert page in seen, f"{page} was never requested: {sorted(seen)}"
    assert stage.answers + stage.ramp.answers > 0


def test_soak_short_profile_survives_a_kill_9_with_every_answer_logged_once(tmp_path):
    from loadtest.soak import SoakOptions, soak

    options = SoakOptions(
        databases=["sqlite"],
        users=6,
        seconds=15,
        kills=1,
        think=0.0,
        workers=1,
        decks="starter",
        postgres_url=None,
        redis_url=None,
    )
    result = soak("sqlite", options, tmp_path / "sqlite", random.Random(14))
    assert len(result.events) == 1 and "kill -9 app" in result.events[0], result.events
    assert result.answers > 0
    consistency = result.consistency
    assert consistency.answers_seen > 0
    assert (consistency.lost, consistency.doubled, consistency.inconsistent) == (0, 0, 0), (
        consistency.examples
    )
    assert consistency.integrity == "ok"

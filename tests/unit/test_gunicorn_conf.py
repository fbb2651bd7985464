"""The checkout's gunicorn.conf.py, read by gunicorn's own loader as `gunicorn learnapp.wsgi:app` reads it:
the app is preloaded (the dictionaries shared after fork, as README says) without `--preload`."""

import sys
from pathlib import Path

from gunicorn.app.wsgiapp import WSGIApplication

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def test_gunicorn_conf_preloads_the_app(monkeypatch):
    monkeypatch.setattr(sys, "argv", ["gunicorn", "-c", str(CONF), "learnapp.wsgi:app"])
    application = WSGIApplication()  # reads the command line and the file, as gunicorn does; loads no app
    assert application.cfg.preload_app is True

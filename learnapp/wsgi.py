"""Production entry: `gunicorn --preload learnapp.wsgi:app` (the app is built once, shared after fork)."""

from learnapp import create_app

app = create_app()

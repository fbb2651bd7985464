"""Production entry: `gunicorn --preload learnapp.wsgi:app` (the app is built once, shared after fork)."""

from learnapp import create_app
from learnapp.chinese.sandhi import words_of

app = create_app({"WARM_DICTIONARIES": False})
# CC-CEDICT, loaded here (once, before the fork) so every worker shares it; a background thread would not
# survive the fork.
words_of("你好")

"""Production entry: `gunicorn --preload learnapp.wsgi:app` (the app is built once, shared after fork)."""

import gc

from learnapp import create_app
from learnapp.chinese.segment import plain_segmenter
from learnapp.nickname import tables as nickname_tables

app = create_app({"WARM_DICTIONARIES": False})
# CC-CEDICT and the reader's index of it (learnapp.chinese.lexicon), loaded here, once, before the fork, so
# every worker shares them; a background thread would not survive the fork. Freezing the garbage
# collector's view of them keeps collections in the workers from touching (and so copying) their pages.
plain_segmenter().segment("你好")
# The nickname tables too: shared the same way, and a malformed row (a TableError naming its file and
# line) stops the server here, at start-up, instead of failing on a learner's nickname page.
nickname_tables.load_all()
gc.freeze()

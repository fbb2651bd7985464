"""Production entry: `gunicorn --preload learnapp.wsgi:app` (the app is built once, shared after fork)."""

import gc

from learnapp import create_app
from learnapp.chinese.segment import plain_segmenter

app = create_app({"WARM_DICTIONARIES": False})
# CC-CEDICT and the reader's index of it (learnapp.chinese.lexicon), loaded here, once, before the fork, so
# every worker shares them; a background thread would not survive the fork. Freezing the garbage
# collector's view of them keeps collections in the workers from touching (and so copying) their pages.
plain_segmenter().segment("你好")
gc.freeze()

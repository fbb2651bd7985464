"""The reader's services under one name, for its views and tests (`service.reading(...)`); each lives in the
module its subject names:

- `texts`: checking and saving a pasted text, which texts a user may read, their list, deletion;
- `curated`: our curated entries, which the segmenter puts first (rebuilt when the decks change);
- `reading`: a text as the page shows it, each word with its pinyin and colour;
- `knowledge`: what the learner knows of each word (one query of their card states);
- `word_card`: one word's popover;
- `my_words`: keeping words with their sentences (and `own_deck`, the learner's own deck for them);
- `class_readings`: texts a teacher publishes to a class.
"""

from __future__ import annotations

from learnapp.errors import NotFound, UserError
from learnapp.reader.class_readings import (
    ClassReadingRow,
    ReadingFigure,
    class_reading_figures,
    class_readings_for,
    publish,
    published_to,
    teacher_classes,
)
from learnapp.reader.curated import Curated, curated_index, segmenter
from learnapp.reader.knowledge import KNOWN, KNOWN_STABILITY_DAYS, LEARNING, NEW, STATE_LABELS, knowledge
from learnapp.reader.my_words import MAX_ENGLISH, Added, KeptWord, add_word, my_words, remove_word
from learnapp.reader.own_deck import my_words_deck
from learnapp.reader.reading import Counts, Piece, ReadingView, reading, ruby_html
from learnapp.reader.texts import (
    MAX_CHARS,
    Readable,
    TextFields,
    TextPage,
    TextRow,
    check_text,
    delete_text,
    opened,
    own_text,
    readable,
    save_text,
    text_page,
    texts,
)
from learnapp.reader.word_card import WordCard, dictionary_senses, sentence_pinyin, word_card

__all__ = [
    "KNOWN",
    "KNOWN_STABILITY_DAYS",
    "LEARNING",
    "MAX_CHARS",
    "MAX_ENGLISH",
    "NEW",
    "STATE_LABELS",
    "Added",
    "ClassReadingRow",
    "Counts",
    "Curated",
    "KeptWord",
    "NotFound",
    "Piece",
    "Readable",
    "ReadingFigure",
    "ReadingView",
    "TextFields",
    "TextPage",
    "TextRow",
    "UserError",
    "WordCard",
    "add_word",
    "check_text",
    "class_reading_figures",
    "class_readings_for",
    "curated_index",
    "delete_text",
    "dictionary_senses",
    "knowledge",
    "my_words",
    "my_words_deck",
    "opened",
    "own_text",
    "publish",
    "published_to",
    "readable",
    "reading",
    "remove_word",
    "ruby_html",
    "save_text",
    "segmenter",
    "sentence_pinyin",
    "teacher_classes",
    "text_page",
    "texts",
    "word_card",
]

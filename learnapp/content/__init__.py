"""Content, pure (no Flask, no database; nothing of ours but learnapp.chinese): what an entry and a deck
are (entry.py), the cleaning rules every way in shares (cleaning.py, text.py, tags.py, pinyin_input.py),
deck files (deckfile.py, deck_entries.py, toml_lines.py), uploads (upload.py, columns.py, rows.py,
tabular.py) and exports (export.py, anki.py). The database side is learnapp.decks.loader."""

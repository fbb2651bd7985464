"""The deck catalogue: browse decks, see one, enroll and leave (service.py, views.py); writing decks into
the database, from deck files and for the editor and imports (loader.py)."""

"""Deck files: parsing and validation (pure, deckfile.py) and import by stable ids (loader.py)."""

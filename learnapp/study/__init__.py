"""The daily study loop: today's queue, answering, undo."""

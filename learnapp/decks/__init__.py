"""The deck catalogue: browse decks, see one, enroll and leave."""

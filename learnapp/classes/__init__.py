"""Classes: join codes and links, assigned decks in every member's queue, the teacher's dashboard."""

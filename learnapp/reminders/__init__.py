"""Daily reminders: one short mail a learner-day when cards are due and the learner has not studied yet."""

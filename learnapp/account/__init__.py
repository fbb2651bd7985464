"""The learner's own data: export everything, delete the account."""

"""Accounts: sign up, log in, log out, change password."""

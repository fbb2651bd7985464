"""The welcome flow after sign-up (/welcome)."""

"""Email: the outbox (written with the action, delivered after its commit), SMTP or the log, signed links,
and the admin's outbox page."""

from learnapp.mail.outbox import deliver, public_url, queue

__all__ = ["deliver", "public_url", "queue"]

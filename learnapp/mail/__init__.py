"""Email: the outbox (written with the action, delivered after its commit), SMTP or the log, signed links.
The admin's outbox page is in learnapp/admin/views.py."""

from learnapp.mail.outbox import deliver, public_url, queue

__all__ = ["deliver", "public_url", "queue"]

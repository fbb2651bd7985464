"""Mail goes through the outbox: written inside the transaction of the action that causes it, delivered
after that commits (by the job runner: a thread here, or an RQ worker with REDIS_URL), never for a
rolled-back action, and never inside the user's request. A failed delivery is recorded on its row (and,
when the server refused the address for good, counted against the account's address); the user's request
never sees it.
"""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP, SMTPUTF8
from email.utils import format_datetime, make_msgid
from typing import Any, cast
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.engine import CursorResult

from learnapp.access import require_admin
from learnapp.database import in_transaction, transaction
from learnapp.errors import NotFound, UserError
from learnapp.extensions import db
from learnapp.jobs import JobContext, enqueue, handler
from learnapp.mail.transport import DeliveryError, send_smtp, smtp_settings, write_to_log
from learnapp.models import OutboxMail, User, utcnow

OUTBOX_SHOWN = 100


def public_url(endpoint: str, **values: Any) -> str:
    """An absolute link for a mail, on PUBLIC_URL (never on a request's Host header, which a client
    chooses: a reset link must not point at someone else's site)."""
    anchor = values.pop("_anchor", None)
    base = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "http"
    )
    url = adapter.build(endpoint, values, force_external=True)
    return f"{url}#{anchor}" if anchor else url


def queue(
    user: User,
    kind: str,
    subject: str,
    template: str,
    *,
    to: str | None = None,
    unsubscribe_url: str | None = None,
    deliver_later: bool = True,
    now: datetime | None = None,
    **context: Any,
) -> OutboxMail:
    """Write a mail (plain and HTML parts from templates/mail/<template>.txt and .html) into the outbox,
    inside the caller's transaction. With `deliver_later` a job delivers it once that transaction commits;
    otherwise the caller calls `deliver()` after its commit."""
    context |= {"user": user, "unsubscribe_url": unsubscribe_url, "subject": subject}
    mail = OutboxMail(
        user_id=user.id,
        kind=kind,
        to_address=to or user.email,
        subject=subject,
        text_body=_render(f"mail/{template}.txt", context),
        html_body=_render(f"mail/{template}.html", context),
        unsubscribe_url=unsubscribe_url,
        status="queued",
        created_at=now or utcnow(),
    )
    with transaction() as session:
        session.add(mail)
        session.flush()
        if deliver_later:
            enqueue("mail", user, {"outbox_id": mail.id}, now=now)
    return mail


def _render(name: str, context: dict[str, Any]) -> str:
    """A mail template with its own context only: no request, no site-wide context processors (a cron run
    has neither). Autoescaping follows the name, as for pages: .html escaped, .txt as written."""
    return current_app.jinja_env.get_template(name).render(**context)


def build_message(mail: OutboxMail) -> EmailMessage:
    """The mail as it leaves: both parts, and List-Unsubscribe (one click, RFC 8058) where it has one."""
    config = current_app.config
    message = EmailMessage(policy=SMTP if mail.to_address.isascii() else SMTPUTF8)
    try:
        message["From"] = config["MAIL_FROM"]
        message["To"] = mail.to_address
    except (ValueError, IndexError) as error:
        raise DeliveryError(f"Not a valid address: {error}", permanent=True) from None
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(mail.created_at)
    message["Message-ID"] = make_msgid(f"huanying.{mail.id}", domain=_domain())
    message["Auto-Submitted"] = "auto-generated"
    if mail.unsubscribe_url:
        message["List-Unsubscribe"] = f"<{mail.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(mail.text_body)
    message.add_alternative(mail.html_body, subtype="html")
    return message


def _domain() -> str:
    return urlsplit(current_app.config["PUBLIC_URL"]).hostname or "localhost"


def deliver(mail_id: int, now: datetime | None = None) -> OutboxMail | None:
    """Send one queued mail (SMTP, or the log on the embedded default) and record how it went. A mail
    already taken by another delivery is left alone.

    Two transactions of its own, with the sending between them, so it is called outside any
    `transaction()` block (after the caller's commit): the claim is committed before the mail goes out (a
    second delivery finds it taken, and no transaction stays open while the SMTP server answers), then the
    outcome."""
    assert not in_transaction(), "deliver() commits its own steps: call it after the caller's commit"
    with transaction():
        claimed = cast(
            "CursorResult[Any]",
            db.session.execute(
                update(OutboxMail)
                .where(OutboxMail.id == mail_id, OutboxMail.status == "queued")
                .values(status="sending"),
                execution_options={"synchronize_session": False},
            ),
        ).rowcount
    if claimed != 1:
        return None
    mail = db.session.get(OutboxMail, mail_id, populate_existing=True)
    assert mail is not None
    settings = smtp_settings(current_app.config)
    status, error, permanent = ("logged" if settings is None else "sent"), "", False
    try:
        message = build_message(mail)
        if settings is None:
            write_to_log(message, mail.text_body)
        else:
            send_smtp(settings, message)
    except DeliveryError as failure:
        status, error, permanent = "failed", failure.message, failure.permanent
    with transaction():
        mail.status, mail.error, mail.sent_at = (
            status,
            error,
            (now or utcnow()) if status != "failed" else None,
        )
        if settings is not None:  # the SMTP server has it (or refused it): keep no links in the database
            mail.text_body = mail.html_body = ""
        if mail.user_id is not None and status in ("sent", "failed"):
            count_failure(mail, failed=permanent)
    return mail


def count_failure(mail: OutboxMail, failed: bool) -> None:
    """A refused address adds one to the account's failures in a row; an accepted mail starts again.
    Only mails to the account's current address count (a notice to an old address does not)."""
    values = {"mail_failures": User.mail_failures + 1} if failed else {"mail_failures": 0}
    db.session.execute(
        update(User).where(User.id == mail.user_id, User.email == mail.to_address).values(**values),
        execution_options={"synchronize_session": False},
    )


@handler("mail")
def _deliver_job(job: JobContext) -> dict[str, Any]:
    mail = deliver(int(job.payload["outbox_id"]))
    if mail is not None and mail.status == "failed":
        raise UserError(f"The mail to {mail.to_address} was not sent: {mail.error}")
    return {"summary": mail.status if mail else "already delivered"}


# ---- the admin's outbox page ------------------------------------------------------------------------


def recent(admin: User) -> list[OutboxMail]:
    require_admin(admin)
    return list(db.session.scalars(select(OutboxMail).order_by(OutboxMail.id.desc()).limit(OUTBOX_SHOWN)))


def one(admin: User, mail_id: int) -> OutboxMail:
    require_admin(admin)
    mail = db.session.get(OutboxMail, mail_id)
    if mail is None:
        raise NotFound("There is no such mail.")
    return mail

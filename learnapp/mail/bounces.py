"""Bounces that come back after a mail left: a relay that accepted the mail and could not deliver it later
sends a delivery status notification (RFC 3464, `multipart/report; report-type=delivery-status`) to the
envelope sender (MAIL_FROM). The mail system hands each one to `flask mail bounce` (a pipe alias, or the
files of a mailbox), and `read_bounce` reads it: every recipient the report says failed (Action: failed),
matched to our outbox row by the Message-ID we gave the mail (`<...huanying.ID@host>`, in the returned
headers) and the row's address. A matched row becomes "bounced" with the report's status and counts once
against the account's address (3 in a row stop reminders); a row already bounced is left alone, so the
same report read twice, or a second report about the same mail, changes nothing. Reports about delays,
about other mails or without the original headers change nothing and are said so."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email import message_from_bytes, message_from_string, policy
from email.message import EmailMessage, Message
from typing import Any

from learnapp.database import transaction
from learnapp.extensions import db
from learnapp.mail.outbox import count_failure
from learnapp.models import OutboxMail

_OUR_ID = re.compile(r"\.huanying\.(\d+)@")


@dataclass
class BounceReport:
    bounced: list[int] = field(default_factory=list)  # outbox rows marked bounced now
    already: list[int] = field(default_factory=list)  # rows bounced by an earlier report
    ignored: list[str] = field(default_factory=list)  # why the rest changed nothing

    def summary(self) -> str:
        parts = [f"{len(self.bounced)} bounced", f"{len(self.already)} already read"]
        return "; ".join(parts + self.ignored)


@dataclass(frozen=True)
class _Failed:
    address: str
    status: str
    diagnostic: str


def read_bounce(raw: bytes) -> BounceReport:
    """Read one delivery report (its bytes as received) and record the mails it says bounced. One
    transaction."""
    report = BounceReport()
    message = message_from_bytes(raw, policy=policy.default)
    if message.get_content_type() != "multipart/report":
        report.ignored.append("not a delivery report")
        return report
    failed = _failed(message)
    if not failed:
        report.ignored.append("no recipient failed (a delay or a success report)")
        return report
    mail_id = _our_mail_id(message)
    if mail_id is None:
        report.ignored.append("not about a mail of ours (no Message-ID of ours in the returned headers)")
        return report
    with transaction():
        mail = db.session.get(OutboxMail, mail_id, with_for_update=True, populate_existing=True)
        for one in failed:
            if mail is None or mail.to_address.casefold() != one.address.casefold():
                report.ignored.append(f"no mail {mail_id} to {one.address}")
            elif mail.status == "bounced":
                report.already.append(mail.id)
            else:
                mail.status = "bounced"
                mail.error = f"Bounced: {one.status} {one.diagnostic}".strip()[:500]
                if mail.user_id is not None:
                    count_failure(mail, failed=True)
                report.bounced.append(mail.id)
    return report


def _failed(message: EmailMessage) -> list[_Failed]:
    """The recipients the report's delivery-status part says failed."""
    found = []
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        blocks: Any = part.get_payload()
        for block in blocks[1:] if isinstance(blocks, list) else []:  # the first is about the message
            if str(block.get("Action", "")).strip().lower() != "failed":
                continue
            recipient = str(block.get("Final-Recipient") or block.get("Original-Recipient") or "")
            address = recipient.split(";", 1)[-1].strip()
            if address:
                found.append(
                    _Failed(
                        address=address,
                        status=str(block.get("Status", "")).strip(),
                        diagnostic=str(block.get("Diagnostic-Code", "")).split(";", 1)[-1].strip(),
                    )
                )
    return found


def _our_mail_id(message: EmailMessage) -> int | None:
    """The outbox id in the Message-ID of the returned mail (its headers, or the whole mail)."""
    for part in message.walk():
        original: Message | None = None
        if part.get_content_type() == "text/rfc822-headers":
            original = message_from_string(str(part.get_content()), policy=policy.default)
        elif part.get_content_type() == "message/rfc822":
            payload: Any = part.get_payload()
            original = payload[0] if isinstance(payload, list) and payload else None
        if original is not None and (match := _OUR_ID.search(str(original.get("Message-ID", "")))):
            return int(match.group(1))
    return None

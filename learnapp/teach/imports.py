"""Import a file into a deck (preview first, then confirm) and export a deck as CSV, TOML or .apkg.

The upload is parsed by learnapp.content.tabular and kept, parsed, in a DeckImport row until the teacher
confirms: the deck is not touched before that. The preview matches each row to an entry (import_plan.py)
and tells create, update, restore (a deleted entry comes back) or unchanged, with every problem by line.
Confirm locks the deck, redoes the matching against the deck as it is then and writes everything in one
transaction, in bulk: new entries and their cards in a few statements. A confirm sent twice writes once:
the second waits for the first, finds the import gone (`ImportGone`, a 404 page that leads to the deck).
"""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, func, insert, select

from learnapp.access import deck_for_editing, deck_for_export
from learnapp.content import anki, tabular
from learnapp.content import export as exporter
from learnapp.content.rows import ParsedImport, RowError
from learnapp.content.upload import ImportFileError
from learnapp.database import transaction
from learnapp.decks.card_states import sync_card_states
from learnapp.decks.loader import EntryRef, deck_data_of, ensure_cards, entry_data_of, lock_deck
from learnapp.errors import NotFound, UserError
from learnapp.extensions import db
from learnapp.models import Deck, DeckImport, Enrollment, Entry, User
from learnapp.observability import audit
from learnapp.teach.import_plan import ACTIONS, Plan, PlannedRow, plan

MAX_ROWS = tabular.MAX_ROWS
PREVIEW_ROWS = 100  # rows of each kind shown in the preview (every error is shown)
EXPORT_FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "toml": ("application/toml; charset=utf-8", "toml"),
    "apkg": ("application/octet-stream", "apkg"),
}


class ImportGone(NotFound):
    """The import was confirmed or cancelled already (or a newer upload replaced it)."""


@dataclass(frozen=True)
class ImportPreview:
    deck: Deck
    token: str
    filename: str
    format: str
    total: int
    counts: dict[str, int]
    errors: list[RowError]
    warnings: list[str]
    shown: dict[str, list[PlannedRow]]  # by action, the first PREVIEW_ROWS of each
    learners: int = 0  # who study the deck now: new entries go into their queues
    deck_table: dict[str, object] | None = None
    bad_rows: list[tuple[int, str, list[RowError]]] = field(default_factory=list)  # line, word, problems
    skippable: bool = False  # some rows have problems, the others can be imported without them

    @property
    def ok(self) -> bool:
        return not self.errors and self.total > 0

    @property
    def changes(self) -> int:
        return self.counts["create"] + self.counts["update"] + self.counts["restore"]

    @property
    def skipped(self) -> int:
        return len(self.bad_rows)

    @property
    def file_errors(self) -> list[RowError]:
        """Problems of the whole file (no line, or the header's): nothing can be imported while they last."""
        return [error for error in self.errors if not error.line or error.column == "header"]


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    restored: int = 0
    skipped: int = 0  # rows with problems the teacher chose to leave out


@dataclass(frozen=True)
class Download:
    data: bytes
    mimetype: str
    filename: str


# ---- preview ---------------------------------------------------------------------------------------


@transaction()
def preview_upload(user: User, slug: str, filename: str, data: bytes, now: datetime) -> DeckImport:
    """Parse an upload and keep it for the preview. A file that cannot be read at all is a UserError
    beside the file field. Nothing in the deck changes. Commits (the pending import only)."""
    deck = deck_for_editing(user, slug)
    try:
        parsed = tabular.parse_upload(data, filename)
    except ImportFileError as error:
        raise UserError(str(error), field="file") from None
    lock_deck(deck.id)  # after parsing, which may take a while: an upload sent twice leaves one pending
    # One pending import per teacher and deck: a new upload replaces the last one.
    db.session.execute(delete(DeckImport).where(DeckImport.user_id == user.id, DeckImport.deck_id == deck.id))
    pending = DeckImport(
        token=secrets.token_urlsafe(16),
        user_id=user.id,
        deck_id=deck.id,
        filename="".join(c for c in filename if c.isprintable())[-255:],
        payload=parsed.to_dict(),
        created_at=now,
    )
    db.session.add(pending)
    return pending


def _pending(user: User, deck: Deck, token: str) -> tuple[DeckImport, ParsedImport]:
    pending = db.session.scalar(
        select(DeckImport).where(
            DeckImport.token == token, DeckImport.deck_id == deck.id, DeckImport.user_id == user.id
        )
    )
    if pending is None:
        raise ImportGone(
            "It was already imported, cancelled, or replaced by a newer upload of this deck: the deck shows "
            "what it holds now. To import a file again, upload it again."
        )
    return pending, ParsedImport.from_dict(pending.payload)


def get_preview(user: User, slug: str, token: str) -> ImportPreview:
    deck = deck_for_editing(user, slug)
    pending, parsed = _pending(user, deck, token)
    planned = plan(deck, parsed)
    shown: dict[str, list[PlannedRow]] = {action: [] for action in ACTIONS}
    for row in planned.good:
        bucket = shown[row.action]
        if len(bucket) < PREVIEW_ROWS:
            bucket.append(row)
    return ImportPreview(
        deck=deck,
        token=pending.token,
        filename=pending.filename,
        format=parsed.format,
        total=len(parsed.rows),
        counts={action: planned.count(action) for action in ACTIONS},
        errors=sorted(planned.errors, key=lambda e: e.line or 0),
        warnings=list(parsed.warnings),
        shown=shown,
        learners=db.session.scalar(
            select(func.count()).where(Enrollment.deck_id == deck.id, Enrollment.active)
        )
        or 0,
        deck_table=parsed.deck,
        bad_rows=_bad_rows(planned, parsed),
        skippable=planned.skippable,
    )


def _bad_rows(planned: Plan, parsed: ParsedImport) -> list[tuple[int, str, list[RowError]]]:
    """The rows with problems, by line: the word where the row could be read, and what is wrong."""
    words = {row.line: row.headword for row in parsed.rows}
    by_line: dict[int, list[RowError]] = {}
    for error in planned.errors:
        if error.line in planned.bad_lines:
            by_line.setdefault(error.line, []).append(error)
    return [(line, words.get(line, ""), errors) for line, errors in sorted(by_line.items())]


@transaction()
def cancel(user: User, slug: str, token: str) -> None:
    """Throw a pending import away."""
    deck = deck_for_editing(user, slug)
    pending, _ = _pending(user, deck, token)
    db.session.delete(pending)


# ---- confirm ---------------------------------------------------------------------------------------


@transaction()
def confirm(user: User, slug: str, token: str, now: datetime, skip_bad: bool = False) -> ImportReport:
    """Write a previewed import: one transaction, bulk inserts; learners of the deck get the new cards.
    Refused whole (nothing written) while the file has problems, unless the teacher chose to import the
    good rows and skip the ones with problems (`skip_bad`; not when the problem is the whole file's). The
    deck is locked first, so a second confirm of the same import waits for the first and then finds it
    gone (ImportGone)."""
    deck = deck_for_editing(user, slug)
    lock_deck(deck.id)
    pending, parsed = _pending(user, deck, token)
    planned = plan(deck, parsed)
    if planned.errors and not (skip_bad and planned.skippable):
        count = len(planned.errors)
        raise UserError(
            f"The file has {count} problem{'s' if count != 1 else ''}: fix "
            f"{'them' if count != 1 else 'it'} and upload it again. Nothing was imported."
        )
    rows = planned.good
    if not rows:
        raise UserError("The file has no rows to import.")
    report = ImportReport(skipped=len(planned.bad_lines))
    created = [row.values | {"key": row.row.key} for row in rows if row.action == "create"]
    carded: list[EntryRef] = []
    if created:
        inserted = db.session.execute(
            insert(Entry).returning(Entry.id, Entry.headword, Entry.pinyin),
            [{"deck_id": deck.id, "retired": False, "updated_at": now, **values} for values in created],
        )
        carded.extend((row.id, row.headword, row.pinyin) for row in inserted)
        report.created = len(created)
    for row in rows:
        if row.action in ("update", "restore") and row.entry is not None:
            entry = row.entry
            for name, value in row.values.items():
                if name != "position":
                    setattr(entry, name, value)
            entry.retired = False
            entry.updated_at = now
            if row.action == "restore":
                report.restored += 1
                carded.append((entry.id, entry.headword, entry.pinyin))
            else:
                report.updated += 1
        elif row.action == "unchanged":
            report.unchanged += 1
    db.session.flush()
    ensure_cards(deck.id, deck.card_kinds, carded)
    deck.updated_at = now
    db.session.delete(pending)
    db.session.flush()
    sync_card_states(deck.id)
    audit(
        "deck_imported",
        deck_id=deck.id,
        created=report.created,
        updated=report.updated,
        restored=report.restored,
        skipped=report.skipped,
    )
    return report


# ---- export ----------------------------------------------------------------------------------------


def export(user: User, slug: str, fmt: str) -> Download:
    """The deck's live entries, in order, as CSV, a TOML deck file or an Anki package."""
    if fmt not in EXPORT_FORMATS:
        raise NotFound("We export decks as .csv, .toml or .apkg.")
    deck = deck_for_export(user, slug)
    entries = db.session.scalars(
        select(Entry).where(Entry.deck_id == deck.id, ~Entry.retired).order_by(Entry.position, Entry.id)
    )
    data = deck_data_of(deck)
    rows = [entry_data_of(entry) for entry in entries]
    mimetype, extension = EXPORT_FORMATS[fmt]
    if fmt == "csv":
        payload = exporter.to_csv(data, rows).encode("utf-8")
    elif fmt == "toml":
        payload = exporter.to_toml(data, rows).encode("utf-8")
    else:
        buffer = io.BytesIO()
        anki.to_apkg(data, rows, buffer)
        payload = buffer.getvalue()
    return Download(payload, mimetype, f"{deck.slug}.{extension}")

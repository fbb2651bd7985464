"""Import a file into a deck (preview first, then confirm) and export a deck as CSV, TOML or .apkg.

The upload is parsed by learnapp.content.tabular and kept, parsed, in a DeckImport row until the teacher
confirms: the deck is not touched before that. The preview matches each row to an entry by key, then by
headword (as tabular's docstring says) and tells create, update, restore (a deleted entry comes back) or
unchanged, with every problem by line. Confirm redoes the matching against the deck as it is then and
writes everything in one transaction, in bulk: new entries and their cards in a few statements.

On update, columns the file does not have are kept as they are, and an empty pinyin cell (which tabular
fills from the dictionary) keeps the entry's pinyin unless the headword changed. New entries go at the
end of the deck.
"""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, func, insert, select

from learnapp.content import export as exporter
from learnapp.content import tabular
from learnapp.content.deckfile import EntryData
from learnapp.content.loader import ensure_cards, entry_values
from learnapp.decks.service import sync_card_states
from learnapp.errors import NotFound, UserError
from learnapp.extensions import db
from learnapp.models import Card, Deck, DeckImport, Enrollment, Entry, User
from learnapp.teach.access import Forbidden, deck_for_editing, is_admin, is_teacher, visible_deck

MAX_ROWS = tabular.MAX_ROWS
ACTIONS = ("create", "update", "restore", "unchanged")
PREVIEW_ROWS = 100  # rows of each kind shown in the preview (every error is shown)
EXPORT_FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "toml": ("application/toml; charset=utf-8", "toml"),
    "apkg": ("application/octet-stream", "apkg"),
}
# Entry columns an import may set, by the file's column names.
_COLUMN_FIELDS = {
    "headword": ("headword",),
    "pinyin": ("pinyin",),
    "spoken": ("pinyin_spoken",),
    "literal": ("literal",),
    "meaning": ("meaning",),
    "notes": ("notes",),
    "example_zh": ("example_zh",),
    "example_pinyin": ("example_pinyin",),
    "example_en": ("example_en",),
    "tags": ("tags",),
}
_COMPARED = (
    "headword",
    "pinyin",
    "pinyin_spoken",
    "literal",
    "meaning",
    "notes",
    "example_zh",
    "example_pinyin",
    "example_en",
    "tags",
    "extra",
)


@dataclass(frozen=True)
class PlannedRow:
    row: tabular.ImportRow
    action: str  # create | update | restore | unchanged
    values: dict
    entry: Entry | None = None
    changed: tuple[str, ...] = ()


@dataclass
class Plan:
    rows: list[PlannedRow]
    errors: list[tabular.RowError]

    def count(self, action: str) -> int:
        return sum(1 for planned in self.rows if planned.action == action)


@dataclass(frozen=True)
class ImportPreview:
    deck: Deck
    token: str
    filename: str
    format: str
    total: int
    counts: dict[str, int]
    errors: list[tabular.RowError]
    warnings: list[str]
    shown: dict[str, list[PlannedRow]]  # by action, the first PREVIEW_ROWS of each
    learners: int = 0  # who study the deck now: new entries go into their queues
    deck_table: dict | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and self.total > 0

    @property
    def changes(self) -> int:
        return self.counts["create"] + self.counts["update"] + self.counts["restore"]


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    restored: int = 0


@dataclass(frozen=True)
class Download:
    data: bytes
    mimetype: str
    filename: str


@dataclass
class _Index:
    by_key: dict[str, Entry] = field(default_factory=dict)
    live_by_headword: dict[str, Entry] = field(default_factory=dict)


# ---- preview ---------------------------------------------------------------------------------------


def preview_upload(user: User, slug: str, filename: str, data: bytes, now: datetime) -> DeckImport:
    """Parse an upload and keep it for the preview. A file that cannot be read at all is a UserError
    beside the file field. Nothing in the deck changes. Commits (the pending import only)."""
    deck = deck_for_editing(user, slug)
    try:
        parsed = tabular.parse_upload(data, filename)
    except tabular.ImportFileError as error:
        raise UserError(str(error), field="file") from None
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
    db.session.commit()
    return pending


def _pending(user: User, slug: str, token: str) -> tuple[Deck, DeckImport, tabular.ParsedImport]:
    deck = deck_for_editing(user, slug)
    pending = db.session.scalar(
        select(DeckImport).where(
            DeckImport.token == token, DeckImport.deck_id == deck.id, DeckImport.user_id == user.id
        )
    )
    if pending is None:
        raise NotFound("This import has expired or was already done. Upload the file again.")
    return deck, pending, tabular.ParsedImport.from_dict(pending.payload)


def get_preview(user: User, slug: str, token: str) -> ImportPreview:
    deck, pending, parsed = _pending(user, slug, token)
    plan = _plan(deck, parsed)
    shown: dict[str, list[PlannedRow]] = {action: [] for action in ACTIONS}
    for planned in plan.rows:
        bucket = shown[planned.action]
        if len(bucket) < PREVIEW_ROWS:
            bucket.append(planned)
    return ImportPreview(
        deck=deck,
        token=pending.token,
        filename=pending.filename,
        format=parsed.format,
        total=len(parsed.rows),
        counts={action: plan.count(action) for action in ACTIONS},
        errors=sorted(plan.errors, key=lambda e: e.line or 0),
        warnings=list(parsed.warnings),
        shown=shown,
        learners=db.session.scalar(
            select(func.count()).where(Enrollment.deck_id == deck.id, Enrollment.active)
        )
        or 0,
        deck_table=parsed.deck,
    )


def cancel(user: User, slug: str, token: str) -> None:
    """Throw a pending import away. Commits."""
    _, pending, _ = _pending(user, slug, token)
    db.session.delete(pending)
    db.session.commit()


def _entry_data(row: tabular.ImportRow, position: int, base: Entry | None, columns: set[str]) -> EntryData:
    """The row as entry data; on update, what the file does not say comes from the entry."""

    def pick(column: str, attribute: str):
        if base is None or column in columns:
            return getattr(row, column)
        return getattr(base, attribute)

    pinyin = row.pinyin
    same_word = base is not None and base.headword == row.headword
    if same_word and ("pinyin" not in columns or row.pinyin_filled):
        pinyin = base.pinyin  # the dictionary's guess does not replace what the entry has
    if "spoken" in columns or base is None:
        spoken = row.spoken
    else:
        spoken = base.pinyin_spoken if same_word and pinyin == base.pinyin else ""
    return EntryData(
        key=base.key if base is not None else row.key,
        position=position,
        headword=row.headword,
        pinyin=pinyin,
        spoken=spoken,
        literal=pick("literal", "literal"),
        meaning=row.meaning,
        notes=pick("notes", "notes"),
        example_zh=pick("example_zh", "example_zh"),
        example_pinyin=pick("example_pinyin", "example_pinyin"),
        example_en=pick("example_en", "example_en"),
        tags=tuple(pick("tags", "tags")),
        send=row.send
        if row.send is not None
        else ((base.extra or {}).get("send") if base is not None else None),
    )


def _plan(deck: Deck, parsed: tabular.ParsedImport) -> Plan:
    """Match every row against the deck as it is now: create, update, restore or unchanged."""
    index = _Index()
    entries = list(db.session.scalars(select(Entry).where(Entry.deck_id == deck.id)))
    for entry in entries:
        index.by_key[entry.key] = entry
        if not entry.retired:
            index.live_by_headword[entry.headword] = entry
    next_position = max((entry.position for entry in entries), default=0) + 1
    columns = set(parsed.columns) | {"headword", "meaning"}
    errors = list(parsed.errors)
    rows: list[PlannedRow] = []
    claimed: dict[int, int] = {}  # entry id -> the line that matched it first
    for row in parsed.rows:
        entry = index.by_key.get(row.key) if row.key else None
        if entry is None:
            entry = index.live_by_headword.get(row.headword)
        if entry is not None:
            if entry.id in claimed:
                errors.append(
                    tabular.RowError(
                        row.line,
                        "key",
                        f"matches the same entry ({entry.headword}, key {entry.key}) "
                        f"as line {claimed[entry.id]}",
                    )
                )
            claimed.setdefault(entry.id, row.line)
            other = index.live_by_headword.get(row.headword)
            if other is not None and other is not entry:
                errors.append(
                    tabular.RowError(
                        row.line,
                        "headword",
                        f"{row.headword} is already another entry of this deck (key {other.key}), "
                        f"not the one with key {entry.key}",
                    )
                )
        data = _entry_data(row, entry.position if entry else next_position, entry, columns)
        if entry is None:
            next_position += 1
        values = entry_values(data)
        if entry is not None:
            values["extra"] = {**(entry.extra or {}), **values["extra"]}
        if "context" in deck.card_kinds and not values["example_zh"]:
            errors.append(tabular.RowError(row.line, "example_zh", "required: this deck makes context cards"))
        if entry is None:
            rows.append(PlannedRow(row, "create", values))
            continue
        changed = tuple(name for name in _COMPARED if getattr(entry, name) != values[name])
        action = "restore" if entry.retired else ("update" if changed else "unchanged")
        rows.append(PlannedRow(row, action, values, entry, changed))
    return Plan(rows, errors)


# ---- confirm ---------------------------------------------------------------------------------------


def confirm(user: User, slug: str, token: str, now: datetime) -> ImportReport:
    """Write a previewed import: one transaction, bulk inserts; learners of the deck get the new cards.
    Refused whole (nothing written) while the file has errors."""
    deck, pending, parsed = _pending(user, slug, token)
    plan = _plan(deck, parsed)
    if plan.errors:
        raise UserError(
            f"The file has {len(plan.errors)} problem{'s' if len(plan.errors) != 1 else ''}: fix "
            f"{'them' if len(plan.errors) != 1 else 'it'} and upload it again. Nothing was imported."
        )
    if not plan.rows:
        raise UserError("The file has no rows to import.")
    report = ImportReport()
    created = [planned for planned in plan.rows if planned.action == "create"]
    if created:
        db.session.execute(
            insert(Entry),
            [
                {
                    "deck_id": deck.id,
                    "key": planned.row.key,
                    "retired": False,
                    "updated_at": now,
                    **planned.values,
                }
                for planned in created
            ],
        )
        report.created = len(created)
    touched: list[Entry] = []
    for planned in plan.rows:
        if planned.action in ("update", "restore"):
            entry = planned.entry
            for name, value in planned.values.items():
                if name != "position":
                    setattr(entry, name, value)
            entry.retired = False
            entry.updated_at = now
            if planned.action == "restore":
                report.restored += 1
                touched.append(entry)
            else:
                report.updated += 1
        elif planned.action == "unchanged":
            report.unchanged += 1
    db.session.flush()
    if created:
        new_ids = _ids_by_key(deck.id, [planned.row.key for planned in created])
        db.session.execute(
            insert(Card),
            [
                {"entry_id": new_ids[planned.row.key], "deck_id": deck.id, "kind": kind, "retired": False}
                for planned in created
                for kind in deck.card_kinds
            ],
        )
    if touched:
        cards: dict[int, dict[str, Card]] = {}
        for card in db.session.scalars(select(Card).where(Card.entry_id.in_([e.id for e in touched]))):
            cards.setdefault(card.entry_id, {})[card.kind] = card
        ensure_cards(deck.id, deck.card_kinds, touched, cards)
    deck.updated_at = now
    db.session.delete(pending)
    db.session.flush()
    sync_card_states(deck.id)
    db.session.commit()
    return report


def _ids_by_key(deck_id: int, keys: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        found.update(
            db.session.execute(
                select(Entry.key, Entry.id).where(Entry.deck_id == deck_id, Entry.key.in_(chunk))
            ).all()
        )
    return found


# ---- export ----------------------------------------------------------------------------------------


def deck_for_export(user: User, slug: str) -> Deck:
    """The author (a teacher) or an admin exports; others get 403, or 404 for a deck they cannot see."""
    deck = visible_deck(user, slug)
    if not (
        is_admin(user) or (is_teacher(user) and deck.author_id is not None and deck.author_id == user.id)
    ):
        raise Forbidden("Only the deck's author can export it.")
    return deck


def export(user: User, slug: str, fmt: str) -> Download:
    """The deck's live entries, in order, as CSV, a TOML deck file or an Anki package."""
    if fmt not in EXPORT_FORMATS:
        raise NotFound("We export decks as .csv, .toml or .apkg.")
    deck = deck_for_export(user, slug)
    entries = db.session.scalars(
        select(Entry).where(Entry.deck_id == deck.id, ~Entry.retired).order_by(Entry.position, Entry.id)
    )
    data = exporter.DeckData(
        slug=deck.slug,
        title=deck.title,
        description=deck.description,
        category=deck.category,
        level=deck.level,
        card_kinds=tuple(deck.card_kinds),
        license=deck.license,
        attribution=deck.attribution,
        prerequisites=tuple(deck.prerequisites or ()),
    )
    rows = [
        exporter.EntryData(
            key=entry.key,
            headword=entry.headword,
            pinyin=entry.pinyin,
            literal=entry.literal,
            meaning=entry.meaning,
            notes=entry.notes,
            example_zh=entry.example_zh,
            example_pinyin=entry.example_pinyin,
            example_en=entry.example_en,
            tags=tuple(entry.tags or ()),
            send=(entry.extra or {}).get("send"),
            spoken=entry.pinyin_spoken,
        )
        for entry in entries
    ]
    mimetype, extension = EXPORT_FORMATS[fmt]
    if fmt == "csv":
        payload = exporter.to_csv(data, rows).encode("utf-8")
    elif fmt == "toml":
        payload = exporter.to_toml(data, rows).encode("utf-8")
    else:
        buffer = io.BytesIO()
        exporter.to_apkg(data, rows, buffer)
        payload = buffer.getvalue()
    return Download(payload, mimetype, f"{deck.slug}.{extension}")

"""The teacher's pages: their decks (the inline editor, import and export), their classes, invite codes.

Every route needs a login; the services decide the rest (403 for a learner or for someone else's visible
deck, 404 for what they may not see). Forms work without JavaScript; htmx swaps fragments in place.
"""

from __future__ import annotations

import re

from flask import Blueprint, Response, current_app, flash, request, url_for
from flask_login import current_user

from learnapp import access
from learnapp.admin import service as admin
from learnapp.classes import service as classes
from learnapp.content.tags import tag_word
from learnapp.errors import UserError
from learnapp.extensions import login_manager
from learnapp.forms import field_error
from learnapp.htmx import is_htmx, render, see_other
from learnapp.models import utcnow
from learnapp.numbers import small_int
from learnapp.teach import editor, imports, preview
from learnapp.teach.forms import DeckForm, EntryForm, ImportForm

bp = Blueprint("teach", __name__, url_prefix="/teach")

_PREFIX = re.compile(r"^(new|e-[a-z0-9_-]{1,80})$")


@bp.before_request
def _login_first():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


def _page_arg() -> int:
    return small_int(request.values.get("page"), digits=6) or 1


# ---- home ------------------------------------------------------------------------------------------


@bp.get("")
def home():
    """A teacher's decks and classes."""
    decks = editor.my_decks(current_user)
    return render(
        "teach/home.html",
        decks=decks,
        classes=classes.my_classes(current_user),
        can_invite=access.can_invite(current_user),
    )


@bp.route("/invites", methods=["GET", "POST"])
def invites():
    """Hand out one-use teacher invite codes (admins, and teachers an admin allows); redeemed at /invite."""
    if request.method == "POST":
        invite = admin.create_invite(current_user, utcnow())
        flash(f"New invite code: {invite.shown}. It works once.", "success")
        return see_other(url_for("teach.invites"))
    return render("teach/invites.html", invites=admin.my_invites(current_user))


# ---- decks -----------------------------------------------------------------------------------------


@bp.route("/decks/new", methods=["GET", "POST"])
def new_deck():
    """Create a deck: title, description, category, level, who can see it, which cards it makes."""
    access.require_teacher(current_user)
    form = DeckForm()
    if form.validate_on_submit():
        try:
            deck = editor.create_deck(current_user, form.fields(), utcnow())
        except UserError as error:
            field_error(form, error)
        else:
            flash(f"“{deck.title}” is ready. Add its first entries.", "success")
            return see_other(url_for("teach.edit_deck", slug=deck.slug))
    return render(
        "teach/deck_settings.html", form=form, deck=None, status=422 if form.is_submitted() else 200
    )


@bp.route("/decks/<slug>/settings", methods=["GET", "POST"])
def deck_settings(slug: str):
    """Change a deck's title, description, category, level, visibility and card kinds."""
    deck = editor.get_deck(current_user, slug)
    form = DeckForm(obj=deck)
    if form.validate_on_submit():
        try:
            editor.update_deck(current_user, slug, form.fields(), utcnow())
        except UserError as error:
            field_error(form, error)
        else:
            flash("Deck settings saved.", "success")
            return see_other(url_for("teach.edit_deck", slug=deck.slug))
    return render(
        "teach/deck_settings.html", form=form, deck=deck, status=422 if form.is_submitted() else 200
    )


def _editor(slug: str, page: int, new_form: EntryForm, status: int = 200) -> Response:
    view = editor.editor_page(current_user, slug, page)
    return render(
        "teach/editor.html",
        "teach/_new_entry.html",
        status=status,
        view=view,
        deck=view.deck,
        form=new_form,
        oob_entries=False,
    )


@bp.get("/decks/<slug>")
def edit_deck(slug: str):
    """The deck editor: every entry, editable in place, and a form to add more."""
    view = editor.editor_page(current_user, slug, _page_arg())
    if is_htmx():  # the pager
        return render("teach/editor.html", "teach/_entries.html", view=view, deck=view.deck, oob=False)
    return render("teach/editor.html", view=view, deck=view.deck, form=EntryForm(prefix="new", formdata=None))


@bp.post("/decks/<slug>/entries")
def add_entry(slug: str):
    """Add an entry; htmx gets a fresh form and the last page of entries, which now ends with it."""
    editor.get_deck(current_user, slug)
    form = EntryForm(prefix="new")
    if form.validate_on_submit():
        try:
            entry = editor.add_entry(current_user, slug, form.fields(), utcnow())
        except UserError as error:
            field_error(form, error)
        else:
            view = editor.last_page(current_user, slug)
            if not is_htmx():
                flash(f"Added {entry.headword}.", "success")
                return see_other(url_for("teach.edit_deck", slug=slug, page=view.page, _anchor="new-entry"))
            return render(
                "teach/editor.html",
                "teach/_new_entry.html",
                view=view,
                deck=view.deck,
                form=EntryForm(prefix="new", formdata=None),
                oob_entries=True,
                added=entry,
            )
    return _editor(slug, 10**9, form, status=422)


def _entry_form(entry, formdata=None) -> EntryForm:
    auto = preview.suggested_pinyin(entry.headword)
    data = {
        "headword": entry.headword,
        "pinyin": entry.pinyin,
        "pinyin_auto": auto,
        "meaning": entry.meaning,
        "literal": entry.literal,
        "notes": entry.notes,
        "example_zh": entry.example_zh,
        "example_pinyin": entry.example_pinyin,
        "example_en": entry.example_en,
        "tags": ", ".join(tag_word(tag) for tag in entry.tags or []),
    }
    if formdata is None:
        return EntryForm(prefix=f"e-{entry.key}", formdata=None, data=data)
    return EntryForm(prefix=f"e-{entry.key}")


@bp.get("/decks/<slug>/entries/<key>")
def show_entry(slug: str, key: str):
    """One entry's row (htmx: cancelling an edit)."""
    deck, entry = editor.get_entry(current_user, slug, key)
    if not is_htmx():
        return see_other(url_for("teach.edit_deck", slug=slug))
    return render("teach/_entry_row.html", deck=deck, entry=entry, page_no=_page_arg())


@bp.get("/decks/<slug>/entries/<key>/edit")
def edit_entry(slug: str, key: str):
    """Edit one entry in place (htmx), or on a page of its own."""
    deck, entry = editor.get_entry(current_user, slug, key)
    return render(
        "teach/entry_edit.html",
        "teach/_entry_edit.html",
        deck=deck,
        entry=entry,
        form=_entry_form(entry),
        page_no=_page_arg(),
    )


@bp.post("/decks/<slug>/entries/<key>")
def update_entry(slug: str, key: str):
    """Save an entry; learners keep their progress on it."""
    deck, entry = editor.get_entry(current_user, slug, key)
    form = _entry_form(entry, formdata=True)
    if form.validate_on_submit():
        try:
            entry = editor.update_entry(current_user, slug, key, form.fields(), utcnow())
        except UserError as error:
            field_error(form, error)
        else:
            if not is_htmx():
                flash(f"Saved {entry.headword}.", "success")
                return see_other(url_for("teach.edit_deck", slug=slug, page_no=_page_arg()))
            return render("teach/_entry_row.html", deck=deck, entry=entry, page_no=_page_arg())
    return render(
        "teach/entry_edit.html",
        "teach/_entry_edit.html",
        status=422,
        deck=deck,
        entry=entry,
        form=form,
        page_no=_page_arg(),
    )


def _after_list_change(slug: str, message: str) -> Response:
    page = _page_arg()
    if not is_htmx():
        flash(message, "success")
        return see_other(url_for("teach.edit_deck", slug=slug, page=page))
    view = editor.editor_page(current_user, slug, page)
    return render("teach/_entries.html", view=view, deck=view.deck, oob=False, message=message)


@bp.post("/decks/<slug>/entries/<key>/move")
def move_entry(slug: str, key: str):
    """Move an entry up or down; new cards are introduced in the deck's order."""
    seen_at = small_int(request.form.get("at"))
    entry = editor.move_entry(current_user, slug, key, request.form.get("direction", ""), utcnow(), seen_at)
    return _after_list_change(slug, f"Moved {entry.headword} {request.form.get('direction')}.")


@bp.post("/decks/<slug>/entries/<key>/delete")
def delete_entry(slug: str, key: str):
    """Delete (retire) an entry: its cards leave every queue; learners' history is kept."""
    entry = editor.retire_entry(current_user, slug, key, utcnow())
    return _after_list_change(slug, f"Deleted {entry.headword}. Learners' history with it is kept.")


@bp.get("/pinyin")
def pinyin():
    """The live preview under the headword: suggested pinyin (filled into the pinyin field unless the
    teacher typed their own) and CC-CEDICT's glosses to pick from."""
    prefix = request.args.get("prefix", "new")
    prefix = prefix if _PREFIX.match(prefix) else "new"
    headword = request.args.get(f"{prefix}-headword", "")
    current = " ".join(request.args.get(f"{prefix}-pinyin", "").split())
    auto = " ".join(request.args.get(f"{prefix}-pinyin_auto", "").split())
    suggested = preview.pinyin_preview(current_user, headword)
    # The field follows the headword while it holds nothing or what we filled in last time.
    fill = suggested.citation if (not current or current == auto) else None
    form = EntryForm(prefix=prefix, formdata=None)
    return render(
        "teach/pinyin.html",
        "teach/_pinyin_preview.html",
        preview=suggested,
        prefix=prefix,
        fill=fill,
        current=current,
        form=form,
        oob=True,
    )


# ---- import and export -----------------------------------------------------------------------------


@bp.errorhandler(413)
def too_large(error):
    """An upload over the request limit: say so on the import page rather than a bare error."""
    return render(
        "errors/error.html",
        "errors/_error.html",
        status=413,
        status_code=413,
        title="That file is too large",
        message=f"Uploads can be at most {current_app.config['MAX_CONTENT_LENGTH'] // 1024 // 1024} MB. "
        "Split the file into smaller ones.",
    )


@bp.errorhandler(imports.ImportGone)
def import_gone(error: imports.ImportGone):
    """A preview, confirm or cancel of an import that is done, cancelled or replaced: say so, and lead
    back to the deck (which the services checked this user may edit)."""
    slug = (request.view_args or {}).get("slug", "")
    return render(
        "teach/import_gone.html", "teach/_import_gone.html", status=404, message=error.message, slug=slug
    )


@bp.route("/decks/<slug>/import", methods=["GET", "POST"])
def import_deck(slug: str):
    """Upload a CSV, TSV or TOML file; nothing is written until the preview is confirmed."""
    deck = editor.get_deck(current_user, slug)
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            pending = imports.preview_upload(
                current_user, slug, upload.filename or "", upload.read(), utcnow()
            )
        except UserError as error:
            field_error(form, error)
        else:
            return see_other(url_for("teach.import_preview", slug=slug, token=pending.token))
    return render(
        "teach/import.html",
        deck=deck,
        form=form,
        max_rows=imports.MAX_ROWS,
        max_mb=current_app.config["MAX_CONTENT_LENGTH"] // 1024 // 1024,
        status=422 if form.is_submitted() else 200,
    )


@bp.get("/decks/<slug>/import/<token>")
def import_preview(slug: str, token: str):
    """What the import will create and update, and every problem with its line number."""
    planned = imports.get_preview(current_user, slug, token)
    return render("teach/import_preview.html", preview=planned, deck=planned.deck)


@bp.post("/decks/<slug>/import/<token>")
def import_confirm(slug: str, token: str):
    """Write the previewed import, in one transaction. Sent twice (a double click), the second waits for
    the first and then answers that the import is done, with a way to the deck (`import_gone`)."""
    skip_bad = request.form.get("skip_bad") == "1"
    report = imports.confirm(current_user, slug, token, utcnow(), skip_bad=skip_bad)
    flash(
        f"Imported: {report.created} new, {report.updated} updated, {report.unchanged} unchanged"
        + (f", {report.restored} restored" if report.restored else "")
        + (
            f"; {report.skipped} row{'s' if report.skipped != 1 else ''} with problems skipped"
            if report.skipped
            else ""
        )
        + ".",
        "success",
    )
    return see_other(url_for("teach.edit_deck", slug=slug))


@bp.post("/decks/<slug>/import/<token>/cancel")
def import_cancel(slug: str, token: str):
    """Throw the previewed import away."""
    imports.cancel(current_user, slug, token)
    flash("Import cancelled: nothing was changed.", "info")
    return see_other(url_for("teach.edit_deck", slug=slug))


@bp.get("/decks/<slug>/export.<fmt>")
def export_deck(slug: str, fmt: str):
    """Download the deck as CSV, as a deck file (TOML), or as an Anki package (.apkg)."""
    download = imports.export(current_user, slug, fmt)
    response = Response(download.data, mimetype=download.mimetype)
    response.headers.set("Content-Disposition", "attachment", filename=download.filename)
    return response

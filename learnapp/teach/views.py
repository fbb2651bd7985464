"""The teacher's pages: their decks (the inline editor, import and export), their classes, invite codes.

Every route needs a login; the services decide the rest (403 for a learner or for someone else's visible
deck, 404 for what they may not see). Forms work without JavaScript; htmx swaps fragments in place.
"""

from __future__ import annotations

import re

from flask import Blueprint, Response, current_app, flash, request, url_for
from flask_login import current_user

from learnapp.errors import UserError
from learnapp.extensions import login_manager
from learnapp.htmx import is_htmx, render, see_other
from learnapp.models import utcnow
from learnapp.numbers import small_int
from learnapp.teach import access, admin, classes, editor, imports
from learnapp.teach.forms import ClassForm, DeckForm, EntryForm, ImportForm

bp = Blueprint("teach", __name__, url_prefix="/teach")

_PREFIX = re.compile(r"^(new|e-[a-z0-9_-]{1,80})$")


@bp.before_request
def _login_first():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


def field_error(form, error: UserError) -> None:
    """Show a service's error beside its field; errors that belong to no field of the form propagate."""
    target = getattr(form, error.field, None) if error.field else None
    if target is None:
        raise error
    target.errors = [*target.errors, error.message]


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
    auto = editor.suggested_pinyin(entry.headword)
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
        "tags": ", ".join(entry.tags or []),
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
    entry = editor.move_entry(current_user, slug, key, request.form.get("direction", ""), utcnow())
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
    preview = editor.pinyin_preview(current_user, headword)
    # The field follows the headword while it holds nothing or what we filled in last time.
    fill = preview.citation if (not current or current == auto) else None
    form = EntryForm(prefix=prefix, formdata=None)
    return render(
        "teach/pinyin.html",
        "teach/_pinyin_preview.html",
        preview=preview,
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
        title="That file is too large",
        message=f"Uploads can be at most {current_app.config['MAX_CONTENT_LENGTH'] // 1024 // 1024} MB. "
        "Split the file into smaller ones.",
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
    preview = imports.get_preview(current_user, slug, token)
    return render("teach/import_preview.html", preview=preview, deck=preview.deck)


@bp.post("/decks/<slug>/import/<token>")
def import_confirm(slug: str, token: str):
    """Write the previewed import, in one transaction."""
    report = imports.confirm(current_user, slug, token, utcnow())
    flash(
        f"Imported: {report.created} new, {report.updated} updated, {report.unchanged} unchanged"
        + (f", {report.restored} restored" if report.restored else "")
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


# ---- classes ---------------------------------------------------------------------------------------


@bp.route("/classes/new", methods=["GET", "POST"])
def new_class():
    """Create a class; it gets a join code and link."""
    access.require_teacher(current_user)
    form = ClassForm()
    if form.validate_on_submit():
        try:
            classroom = classes.create_class(current_user, form.fields(), utcnow())
        except UserError as error:
            field_error(form, error)
        else:
            flash(f"Class created. Its join code is {classroom.join_code}.", "success")
            return see_other(url_for("teach.show_class", class_id=classroom.id))
    return render("teach/class_new.html", form=form, status=422 if form.is_submitted() else 200)


def _dashboard(class_id: int, status: int = 200, deck_error: str | None = None) -> Response:
    view = classes.dashboard(current_user, class_id, utcnow())
    join_url = url_for("classes.join_with_code", code=view.classroom.join_code, _external=True)
    return render(
        "teach/class.html", status=status, view=view, join_url=join_url, deck_error=deck_error, now=utcnow()
    )


@bp.get("/classes/<int:class_id>")
def show_class(class_id: int):
    """The class dashboard: its learners' progress, its decks and their hardest entries."""
    return _dashboard(class_id)


@bp.post("/classes/<int:class_id>/decks")
def assign_deck(class_id: int):
    """Assign a deck: it goes into every member's queue."""
    try:
        _, deck, new = classes.assign_deck(current_user, class_id, request.form.get("deck", ""), utcnow())
    except UserError as error:
        if error.field != "deck":
            raise
        return _dashboard(class_id, status=422, deck_error=error.message)
    flash(
        f"Assigned “{deck.title}”: it's in every member's queue."
        if new
        else f"“{deck.title}” was already assigned.",
        "success",
    )
    return see_other(url_for("teach.show_class", class_id=class_id))


@bp.post("/classes/<int:class_id>/decks/<slug>/unassign")
def unassign_deck(class_id: int, slug: str):
    """Take a deck off the class (members keep it, with their progress, until they leave it)."""
    _, deck = classes.unassign_deck(current_user, class_id, slug)
    flash(
        f"“{deck.title}” is no longer assigned. Members who study it keep it and their progress.", "success"
    )
    return see_other(url_for("teach.show_class", class_id=class_id))


@bp.post("/classes/<int:class_id>/members/<int:user_id>/remove")
def remove_member(class_id: int, user_id: int):
    """Remove a learner from the class (their own progress stays theirs)."""
    _, member = classes.remove_member(current_user, class_id, user_id)
    flash(f"{member.username} has left the class. Their decks and progress stay with them.", "success")
    return see_other(url_for("teach.show_class", class_id=class_id))


@bp.post("/classes/<int:class_id>/code")
def new_code(class_id: int):
    """A new join code (the old one stops working; members stay)."""
    classroom = classes.new_join_code(current_user, class_id)
    flash(f"New join code: {classroom.join_code}. The old one no longer works.", "success")
    return see_other(url_for("teach.show_class", class_id=class_id))


# ---- teacher invites -------------------------------------------------------------------------------


@bp.route("/invites", methods=["GET", "POST"])
def invites():
    """Hand out one-use teacher invite codes (admins, and teachers an admin allows)."""
    if request.method == "POST":
        invite = admin.create_invite(current_user, utcnow())
        flash(f"New invite code: {invite.shown}. It works once.", "success")
        return see_other(url_for("teach.invites"))
    return render("teach/invites.html", invites=admin.my_invites(current_user))

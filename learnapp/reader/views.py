"""The reader's pages: paste (/read), the share target (/read/share), a text read word by word
(/read/<id>), a word's card (/read/<id>/word: a popover fragment for htmx, a page without JavaScript),
"Add to my words", the saved texts (/read/texts) and My words (/read/words). Every route needs a login;
the service decides what is whose (another learner's text is a 404)."""

from __future__ import annotations

import json

from flask import Blueprint, Response, flash, request, url_for
from flask_login import current_user, login_required

from learnapp.content.text import character_name, refused_in_value, shown_text
from learnapp.errors import UserError
from learnapp.forms import field_error
from learnapp.htmx import is_htmx, render, see_other
from learnapp.models import utcnow
from learnapp.numbers import small_int
from learnapp.reader import service
from learnapp.reader.forms import PublishForm, ReadForm, WordForm
from learnapp.reader.texts import MAX_TITLE, MAX_URL

bp = Blueprint("reader", __name__, url_prefix="/read")


def _paste_page(form: ReadForm, status: int = 200) -> Response:
    return render(
        "reader/paste.html",
        form=form,
        status=status,
        recent=service.texts(current_user)[:5],
        readings=service.class_readings_for(current_user)[:5],
        max_chars=service.MAX_CHARS,
        bookmarklet=bookmarklet(),
    )


def bookmarklet() -> str:
    """A bookmark that opens the reader with the page's selected text. The text travels in the address's
    fragment (#text=...), which is never sent to a server, so its length is not limited by the server's
    request line; static/app.js puts it into the box."""
    target = url_for("reader.share", _external=True)
    return (
        "javascript:(function(){var s=String(window.getSelection()||'').slice(0,"
        f"{service.MAX_CHARS * 2});var u='{target}#text='+encodeURIComponent(s)"
        "+'&title='+encodeURIComponent(document.title)+'&url='+encodeURIComponent(location.href);"
        "if(!window.open(u,'_blank')){location.href=u;}})();"
    )


@bp.route("", methods=["GET", "POST"])
@login_required
def paste():
    """Paste a post, a comment thread or a caption; it is kept in your texts and opened word by word."""
    form = ReadForm()
    if form.validate_on_submit():
        try:
            text, _ = service.save_text(current_user, form.fields(), utcnow())
        except UserError as error:
            field_error(form, error)
        else:
            return see_other(url_for("reader.show", text_id=text.id))
    return _paste_page(form, status=422 if form.is_submitted() else 200)


@bp.get("/share")
@login_required
def share():
    """The installed app's share target (and the bookmarklet's): the box filled with what was shared."""
    args = request.args
    text = args.get("text", "")
    url = args.get("url", "").strip()
    title = args.get("title", "")
    if url and url in text:
        text = text.replace(url, "").strip()
    # What the other app shared may bring a control character or a direction override along (the request
    # check leaves these two fields to this view): the box gets the text without them, and says so.
    dropped = {
        name: bad for name, value in (("text", text), ("title", title)) if (bad := refused_in_value(value))
    }
    # Cut to what the reader keeps (a long page title would otherwise make "Read it" refuse the title).
    form = ReadForm(
        formdata=None,
        data={"text": shown_text(text), "title": shown_text(title)[:MAX_TITLE], "source_url": url[:MAX_URL]},
    )
    for name, bad in dropped.items():
        getattr(form, name).errors = [
            f"What was shared had {character_name(bad)} (U+{ord(bad):04X}) in it, an invisible character the "
            "reader cannot show: it is left out here. Check the text, then read it."
        ]
    return _paste_page(form)


def _word_place() -> tuple[int | None, int | None]:
    values = request.form if request.method == "POST" else request.args
    return small_int(values.get("at"), 6), small_int(values.get("n"), 3)


@bp.get("/<int:text_id>")
@login_required
def show(text_id: int):
    """A text cut into words, with pinyin over them and each word coloured by what you know."""
    found = service.readable(current_user, text_id)
    service.opened(current_user, found, utcnow())
    view = service.reading(current_user, found.text, found)
    classes = service.teacher_classes(current_user) if found.own else []
    return render(
        "reader/text.html",
        view=view,
        found=found,
        publish_form=_publish_form(classes) if classes else None,
        published=service.published_to(found.text) if found.own else [],
        labels=service.STATE_LABELS,
        known_days=f"{service.KNOWN_STABILITY_DAYS:g}",
    )


def _publish_form(classes) -> PublishForm:
    form = PublishForm()
    form.class_id.choices = [(str(c.id), c.name) for c in classes]
    return form


def _word(text_id: int, form: WordForm | None = None, status: int = 200, added=None) -> Response:
    found = service.readable(current_user, text_id)
    at, length = _word_place()
    card = service.word_card(current_user, found, at, length)
    if form is None:
        form = WordForm(formdata=None, data={"at": card.at, "n": card.length})
    return render(
        "reader/word.html",
        "reader/_word.html",
        status=status,
        card=card,
        form=form,
        added=added,
        labels=service.STATE_LABELS,
    )


@bp.get("/<int:text_id>/word")
@login_required
def word(text_id: int):
    """One word's card: its pinyin here, our meaning and usage (or CC-CEDICT's), its sentence, and
    "Add to my words". htmx gets the popover; without JavaScript it is a page of its own."""
    return _word(text_id)


@bp.post("/<int:text_id>/words")
@login_required
def add_word(text_id: int):
    """Keep the word in My words with the sentence it came from (a second time changes nothing)."""
    form = WordForm()
    found = service.readable(current_user, text_id)
    at, length = _word_place()
    if form.validate_on_submit():
        try:
            added = service.add_word(current_user, found, at, length, form.english.data or "", utcnow())
        except UserError as error:
            field_error(form, error)
        else:
            if is_htmx():
                response = _word(text_id, added=added)
                if added.new:  # static/app.js recolours the word's other places in the text
                    response.headers["HX-Trigger"] = json.dumps(
                        {"reader-word-added": {"key": added.entry.headword}}
                    )
                return response
            flash(
                f"{added.entry.headword} is in My words." if added.new else "It was in My words already.",
                "success",
            )
            return see_other(url_for("reader.word", text_id=text_id, at=at, n=length))
    return _word(text_id, form=form, status=422)


@bp.post("/<int:text_id>/delete")
@login_required
def delete(text_id: int):
    """Delete a saved text (the words you kept from it stay)."""
    text = service.delete_text(current_user, text_id)
    flash(f"Deleted “{text.title}”.", "success")
    return see_other(url_for("reader.texts"))


@bp.post("/<int:text_id>/publish")
@login_required
def publish(text_id: int):
    """Teachers: publish the text to one of your classes as a reading."""
    classroom, new = service.publish(current_user, text_id, small_int(request.form.get("class_id")), utcnow())
    flash(
        f"Published to {classroom.name}: its members see it under “From your classes”."
        if new
        else f"It was published to {classroom.name} already.",
        "success",
    )
    return see_other(url_for("reader.show", text_id=text_id))


@bp.get("/texts")
@login_required
def texts():
    """Your saved texts, last opened first, a page at a time ("Older texts", ?page=2), and a search over
    their titles and words. htmx gets the list alone."""
    query = request.args.get("q", "")
    listing = service.text_page(current_user, query, small_int(request.args.get("page"), digits=6) or 1)
    return render(
        "reader/texts.html",
        "reader/_text_list.html",
        listing=listing,
        rows=listing.rows,
        query=query,
        readings=service.class_readings_for(current_user),
    )


@bp.get("/words")
@login_required
def words():
    """My words: what you kept, with the sentence you met each word in."""
    return render("reader/words.html", words=service.my_words(current_user))


@bp.post("/words/<int:entry_id>/remove")
@login_required
def remove_word(entry_id: int):
    """Take a word out of My words (its cards leave your queue; history is kept)."""
    entry = service.remove_word(current_user, entry_id, utcnow())
    flash(f"Removed {entry.headword} from My words.", "success")
    return see_other(url_for("reader.words"))

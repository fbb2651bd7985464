"""Classes, both sides: a learner joins with a code or a link, sees and leaves their classes; a teacher
creates a class (/teach/classes/new), follows it on its dashboard, assigns decks, removes members and
renews the join code. Every route needs a login but the join link, which shows a visitor the class and
keeps its code through sign-up (`invitation.py`); the services decide the rest (a class that is not yours
to teach is a 404)."""

from __future__ import annotations

from flask import Blueprint, Response, flash, request, url_for
from flask_login import current_user, login_required

from learnapp import access
from learnapp.classes import invitation, service
from learnapp.classes.dashboard import dashboard
from learnapp.classes.forms import ClassForm
from learnapp.errors import NotFound, UserError
from learnapp.extensions import login_manager
from learnapp.forms import CodeForm, field_error
from learnapp.htmx import render, see_other
from learnapp.models import utcnow

bp = Blueprint("classes", __name__)


# ---- the learner's side ------------------------------------------------------------------------------


def _joined(classroom, new: bool):
    if new:
        flash(f"You've joined {classroom.name}. Its decks are in your study queue.", "success")
    else:
        flash(f"You're already in {classroom.name}.", "info")
    return see_other(url_for("classes.mine"))


@bp.route("/join", methods=["GET", "POST"])
@login_required
def join():
    """Join a class with the code your teacher gave you."""
    form = CodeForm()
    if form.validate_on_submit():
        try:
            classroom, new = service.join(current_user, form.code.data, utcnow())
        except UserError as error:
            field_error(form, error)
        else:
            return _joined(classroom, new)
    return render("classes/join.html", form=form, status=422 if form.is_submitted() else 200)


def _link_gone(code: str):
    """A join link whose code no longer opens a class: say so, and offer to type a code."""
    if invitation.pending() == service.normalize_code(code):
        invitation.forget()
    form = CodeForm(formdata=None, code="")
    return render("classes/join_gone.html", form=form, code=service.normalize_code(code), status=404)


@bp.route("/join/<code>", methods=["GET", "POST"])
def join_with_code(code: str):
    """A join link: what the class is, and a button to join it. A visitor sees the class and is offered
    to sign up or log in to join; the code waits in their session (`invitation`)."""
    if not current_user.is_authenticated and request.method == "POST":
        return login_manager.unauthorized()
    user = current_user if current_user.is_authenticated else None
    try:
        preview = service.join_preview(user, code)
    except NotFound:
        return _link_gone(code)
    if user is None:
        if not preview.full:
            invitation.remember(preview.classroom.join_code)
        return render("classes/join_confirm.html", preview=preview, error=None, visitor=True)
    error = None
    if request.method == "POST":  # CSRF is checked for every POST by Flask-WTF
        try:
            classroom, new = service.join(current_user, preview.classroom.join_code, utcnow())
        except UserError as failure:
            if failure.field != "code":
                raise
            error = failure.message
        else:
            return _joined(classroom, new)
    return render(
        "classes/join_confirm.html", preview=preview, error=error, visitor=False, status=422 if error else 200
    )


@bp.post("/join/not-now")
def decline():
    """Sign up without joining the class whose link brought the visitor here."""
    invitation.forget()
    flash("You won't join that class. You can open its link again later.", "info")
    return see_other(url_for("auth.signup"))


@bp.get("/classes")
@login_required
def mine():
    """The classes you're in, their teachers and decks."""
    return render("classes/mine.html", rows=service.learner_classes(current_user))


@bp.post("/classes/<int:class_id>/leave")
@login_required
def leave(class_id: int):
    """Leave a class: the teacher stops seeing your progress; your decks and progress stay."""
    classroom = service.leave(current_user, class_id)
    flash(
        f"You've left {classroom.name}. Its decks stay in your queue with your progress; "
        "leave a deck from its page to stop studying it.",
        "success",
    )
    return see_other(url_for("classes.mine"))


# ---- the teacher's side --------------------------------------------------------------------------------


@bp.route("/teach/classes/new", methods=["GET", "POST"])
@login_required
def new():
    """Create a class; it gets a join code and link."""
    access.require_teacher(current_user)
    form = ClassForm()
    if form.validate_on_submit():
        try:
            classroom = service.create_class(current_user, form.fields(), utcnow())
        except UserError as error:
            field_error(form, error)
        else:
            flash(f"Class created. Its join code is {classroom.join_code}.", "success")
            return see_other(url_for("classes.show", class_id=classroom.id))
    return render("classes/new.html", form=form, status=422 if form.is_submitted() else 200)


def _dashboard(
    class_id: int, status: int = 200, deck_error: str | None = None, chosen_deck: str | None = None
) -> Response:
    """The dashboard; after a refused assignment, with the message beside the deck list and the deck the
    teacher chose still chosen in it."""
    view = dashboard(current_user, class_id, utcnow())
    join_url = url_for("classes.join_with_code", code=view.classroom.join_code, _external=True)
    return render(
        "classes/dashboard.html",
        status=status,
        view=view,
        join_url=join_url,
        deck_error=deck_error,
        chosen_deck=chosen_deck,
        now=utcnow(),
    )


@bp.get("/teach/classes/<int:class_id>")
@login_required
def show(class_id: int):
    """The class dashboard: its learners' progress, its decks and their hardest entries."""
    return _dashboard(class_id)


@bp.post("/teach/classes/<int:class_id>/decks")
@login_required
def assign_deck(class_id: int):
    """Assign a deck: it goes into every member's queue."""
    chosen = request.form.get("deck", "")
    try:
        _, deck, new = service.assign_deck(current_user, class_id, chosen, utcnow())
    except UserError as error:
        if error.field != "deck":
            raise
        return _dashboard(class_id, status=422, deck_error=error.message, chosen_deck=chosen)
    flash(
        f"Assigned “{deck.title}”: it's in every member's queue."
        if new
        else f"“{deck.title}” was already assigned.",
        "success",
    )
    return see_other(url_for("classes.show", class_id=class_id))


@bp.post("/teach/classes/<int:class_id>/decks/<slug>/unassign")
@login_required
def unassign_deck(class_id: int, slug: str):
    """Take a deck off the class (members keep it, with their progress, until they leave it)."""
    _, deck = service.unassign_deck(current_user, class_id, slug)
    flash(
        f"“{deck.title}” is no longer assigned. Members who study it keep it and their progress.", "success"
    )
    return see_other(url_for("classes.show", class_id=class_id))


@bp.post("/teach/classes/<int:class_id>/members/<int:user_id>/remove")
@login_required
def remove_member(class_id: int, user_id: int):
    """Remove a learner from the class (their own progress stays theirs)."""
    _, member = service.remove_member(current_user, class_id, user_id)
    flash(f"{member.username} has left the class. Their decks and progress stay with them.", "success")
    return see_other(url_for("classes.show", class_id=class_id))


@bp.post("/teach/classes/<int:class_id>/code")
@login_required
def new_code(class_id: int):
    """A new join code (the old one stops working; members stay)."""
    classroom = service.new_join_code(current_user, class_id)
    flash(f"New join code: {classroom.join_code}. The old one no longer works.", "success")
    return see_other(url_for("classes.show", class_id=class_id))

"""The learner's side of classes: join with a code or a link, see and leave one's classes, and redeem a
teacher invite code."""

from __future__ import annotations

from flask import Blueprint, flash, request, url_for
from flask_login import current_user, login_required

from learnapp.errors import UserError
from learnapp.htmx import render, see_other
from learnapp.models import utcnow
from learnapp.teach import admin, classes
from learnapp.teach.forms import CodeForm
from learnapp.teach.views import field_error

bp = Blueprint("classes", __name__)


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
            classroom, new = classes.join(current_user, form.code.data, utcnow())
        except UserError as error:
            field_error(form, error)
        else:
            return _joined(classroom, new)
    return render("teach/join.html", form=form, status=422 if form.is_submitted() else 200)


@bp.route("/join/<code>", methods=["GET", "POST"])
@login_required
def join_with_code(code: str):
    """A join link: what the class is, and a button to join it."""
    preview = classes.join_preview(current_user, code)
    error = None
    if request.method == "POST":  # CSRF is checked for every POST by Flask-WTF
        try:
            classroom, new = classes.join(current_user, preview.classroom.join_code, utcnow())
        except UserError as failure:
            if failure.field != "code":
                raise
            error = failure.message
        else:
            return _joined(classroom, new)
    return render("teach/join_confirm.html", preview=preview, error=error, status=422 if error else 200)


@bp.get("/classes")
@login_required
def mine():
    """The classes you're in, their teachers and decks."""
    return render("teach/my_classes.html", rows=classes.learner_classes(current_user))


@bp.post("/classes/<int:class_id>/leave")
@login_required
def leave(class_id: int):
    """Leave a class: the teacher stops seeing your progress; your decks and progress stay."""
    classroom = classes.leave(current_user, class_id)
    flash(
        f"You've left {classroom.name}. Its decks stay in your queue with your progress; "
        "leave a deck from its page to stop studying it.",
        "success",
    )
    return see_other(url_for("classes.mine"))


@bp.route("/invite", methods=["GET", "POST"])
@bp.route("/invite/<code>", methods=["GET"])
@login_required
def redeem(code: str | None = None):
    """Become a teacher with a teacher invite code."""
    form = CodeForm(data={"code": code} if code else None)
    if form.validate_on_submit():
        try:
            admin.redeem_invite(current_user, form.code.data, utcnow())
        except UserError as error:
            field_error(form, error)
        else:
            flash("You're a teacher now: create a deck or a class.", "success")
            return see_other(url_for("teach.home"))
    return render("teach/redeem.html", form=form, status=422 if form.is_submitted() else 200)

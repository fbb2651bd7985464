"""Sign up, log in, log out; "Forgot password?" and its reset link; email verification links. (Changing
the password is in account/, the address in settings/.)"""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, request, session, url_for
from flask_login import current_user, login_required

from learnapp.auth import recovery, service
from learnapp.auth.forms import ForgotPasswordForm, LoginForm, ResetPasswordForm, SignupForm
from learnapp.auth.sessions import end_session, start_session
from learnapp.classes import invitation
from learnapp.errors import UserError
from learnapp.extensions import limiter
from learnapp.forms import field_error
from learnapp.htmx import render, see_other
from learnapp.mail.tokens import RESET_MAX_AGE, VERIFY_MAX_AGE, LinkProblem
from learnapp.models import utcnow
from learnapp.ratelimit import TooManyFailures, login_failures

bp = Blueprint("auth", __name__)


def _auth_limit() -> str:
    return current_app.config["AUTH_RATE_LIMIT"]


def _address_limit() -> str:
    return current_app.config["MAIL_ADDRESS_RATE_LIMIT"]


def _submitted_address() -> str:
    """The rate-limit key of the address in the form (hashed: no addresses in the limiter's storage)."""
    address = recovery.normalize_address(request.form.get("email") or "")[:320]
    return "address:" + hashlib.sha256(address.encode("utf-8", "replace")).hexdigest()


def _account_key() -> str:
    return f"account:{current_user.get_id()}"


def safe_next(target: str | None) -> str:
    """`next` only ever leads to a path on this site."""
    if not target:
        return url_for("main.home")
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
    ):
        return url_for("main.home")
    return target


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(_auth_limit, methods=["POST"])
def signup():
    """Create an account, then start the user's first session."""
    if current_user.is_authenticated:
        return see_other(url_for("main.home"))
    form = SignupForm()
    if form.validate_on_submit():
        now = utcnow()
        try:
            user = recovery.sign_up(
                form.username.data, form.email.data, form.password.data, form.timezone.data, now
            )
        except UserError as error:
            user = service.repeated_sign_up(form.username.data, form.email.data, form.password.data, now)
            if user is None:
                field_error(form, error)
        if user is not None:
            code = invitation.pending()  # a class join link that brought the visitor here
            start_session(user)
            if code:
                invitation.accept(user, code, utcnow())
            return see_other(url_for("welcome.welcome"))
    status = 422 if form.is_submitted() else 200
    return render("auth/signup.html", form=form, invite=invitation.pending_preview(), status=status)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_auth_limit, methods=["POST"])
def login():
    """Log in with a username or email and a password."""
    if current_user.is_authenticated:
        return see_other(safe_next(request.args.get("next")))
    form = LoginForm()
    error = None
    # A class join link opened before logging in: back to it, to confirm joining.
    code = invitation.pending()
    target = request.args.get("next") or (url_for("classes.join_with_code", code=code) if code else None)
    status = 422 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            user = service.log_in(form.login.data, form.password.data, login_failures())
        except TooManyFailures as refused:
            error, status = refused.message, 429
        else:
            if user is not None:
                start_session(user)
                return see_other(safe_next(target))
            error = "Wrong username, email or password."
    return render("auth/login.html", form=form, error=error, status=status)


@bp.post("/logout")
def logout():
    """Log out: the session ends on the server too (a copy of the cookie no longer works)."""
    end_session()
    flash("You're logged out. 再见!", "success")
    return see_other(url_for("main.home"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_auth_limit, methods=["POST"])
@limiter.limit(_address_limit, key_func=_submitted_address, methods=["POST"])
def forgot_password():
    """Ask for a reset link. The answer is the same whether or not the address has an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        session["reset_requested_for"] = form.email.data.strip()[:254]
        response = see_other(url_for("auth.reset_link_sent"))
        # Answered before the address is looked up: the link is signed and queued once the answer has
        # left, so a known address and an unknown one take the same time (SECURITY.md, 2.5).
        recovery.later.after(response, recovery.request_reset, form.email.data, utcnow())
        return response
    status = 422 if form.is_submitted() else 200
    return render("auth/forgot.html", form=form, status=status)


@bp.get("/password/forgot/sent")
def reset_link_sent():
    """What happens next (said the same way for every address)."""
    address = session.get("reset_requested_for")
    return render("auth/forgot_sent.html", address=address, minutes=_reset_minutes())


def _reset_minutes() -> int:
    return int(RESET_MAX_AGE.total_seconds() // 60)


# A link that cannot be used: what to tell, per purpose and reason, and the status of the page.
LINK_PROBLEMS = {
    ("reset", "expired"): (410, "This reset link has expired", "Reset links work for one hour."),
    ("reset", "used"): (
        410,
        "This reset link has already been used",
        "A reset link works once, and only until the password changes.",
    ),
    ("reset", "invalid"): (
        400,
        "This reset link doesn't work",
        "It may have been cut short or changed on the way. Copy the whole link from the mail.",
    ),
    ("verify", "expired"): (
        410,
        "This verification link has expired",
        "Verification links work for {days} days.",
    ),
    ("verify", "changed"): (
        410,
        "This link has been used up",
        "It was for an address that is no longer on the account, so it verifies nothing.",
    ),
    ("verify", "used"): (410, "This link has been used up", "It verifies nothing any more."),
    ("verify", "invalid"): (
        400,
        "This verification link doesn't work",
        "It may have been cut short or changed on the way. Copy the whole link from the mail.",
    ),
}


def _link_problem(purpose: str, problem: LinkProblem):
    status, title, message = LINK_PROBLEMS[(purpose, problem.reason)]
    return render(
        "auth/link_problem.html",
        status=status,
        purpose=purpose,
        reason=problem.reason,
        title=title,
        message=message.format(days=VERIFY_MAX_AGE.days),
        form=ForgotPasswordForm(formdata=None) if purpose == "reset" else None,
    )


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_auth_limit, methods=["POST"])
def reset_password(token: str):
    """Choose a new password through a reset link; every other session of the account ends."""
    now = utcnow()
    try:
        user = recovery.check_reset(token, now)
    except LinkProblem as problem:
        return _link_problem("reset", problem)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = recovery.reset_password(token, form.new_password.data, now)
        except LinkProblem as problem:
            return _link_problem("reset", problem)
        start_session(user)
        session.pop("reset_requested_for", None)
        flash("Your password is changed, and every other device is logged out. 欢迎回来!", "success")
        return see_other(url_for("main.home"))
    status = 422 if form.is_submitted() else 200
    return render("auth/reset.html", form=form, status=status, username=user.username)


@bp.get("/verify/<token>")
def verify_email(token: str):
    """The link in the verification mail: the address is proved (studying never waited for it)."""
    try:
        result = recovery.verify_email(token, utcnow())
    except LinkProblem as problem:
        return _link_problem("verify", problem)
    return render("auth/verified.html", already=result.already, address=result.user.email)


@bp.post("/verify/resend")
@login_required
@limiter.limit(_address_limit, key_func=_account_key)
def resend_verification():
    """Send a new verification link to the account's address."""
    recovery.resend_verification(current_user, utcnow())
    flash(f"We sent a new link to {current_user.email}. It works for {VERIFY_MAX_AGE.days} days.", "success")
    return see_other(url_for("settings.email"))

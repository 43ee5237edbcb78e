"""Sign-up, sign-in (password, magic link, 2FA), recovery, invitations, sign-out."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.auth import services, two_factor
from app.auth.errors import AuthError, PasswordRejected
from app.auth.forms import (
    AcceptInvitationForm,
    EmailOnlyForm,
    LoginForm,
    ResetPasswordForm,
    SignupForm,
    TwoFactorCodeForm,
)
from app.core.errors import PermissionDenied, ValidationFailed
from app.core.forms import apply_service_errors, run_service
from app.core.permissions import public, signed_in
from app.core.render import request_origin
from app.extensions import db, limiter
from app.tenants import services as tenants

bp = Blueprint("auth", __name__)
AUTH_LIMIT = "10/minute"
CHALLENGE_KEY = "2fa_challenge"


def _safe_next(target: str | None) -> str:
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("dashboard.index")


def _sign_in(user, *, remember=False, tenant_id=None, method="password"):
    started = services.start_session(
        user, request_origin(), remember=remember, tenant_id=tenant_id, method=method
    )
    session.clear()
    session.permanent = remember
    login_user(user)
    db.session.commit()
    return started


def _after_first_factor(user, remember: bool, next_url: str, method: str):
    """Password or magic link accepted: ask for the second factor, or sign in."""
    if user.two_factor_enabled:
        token = two_factor.open_challenge(user, remember)
        db.session.commit()
        session[CHALLENGE_KEY] = token
        session["2fa_next"] = next_url
        session["2fa_method"] = method
        return redirect(url_for("auth.two_factor_login"))
    _sign_in(user, remember=remember, method=method)
    return redirect(_safe_next(next_url))


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(AUTH_LIMIT, methods=["POST"])
@public
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = SignupForm()
    if form.validate_on_submit():
        ok, created = run_service(
            form,
            lambda: tenants.create_studio(
                studio_name=form.studio_name.data,
                first_name=form.first_name.data,
                last_name=form.last_name.data,
                email=form.email.data,
                password=form.password.data,
                business_type=form.business_type.data,
                origin=request_origin(),
            ),
        )
        if ok:
            tenant, user = created
            _sign_in(user, tenant_id=tenant.id)
            flash(
                _("ברוכים הבאים ל-Studio OS! הסטודיו %(name)s מוכן.", name=tenant.name), "success"
            )
            return redirect(url_for("dashboard.index"))
    return render_template("auth/signup.html", form=form), 422 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(AUTH_LIMIT, methods=["POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm(next=request.args.get("next", ""))
    error = None
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data, request_origin())
        except AuthError as exc:
            db.session.commit()  # keep the failed-attempt count and the audit entry
            error = exc.message
        else:
            return _after_first_factor(user, form.remember.data, form.next.data, "password")
    status = 422 if (error or form.errors) else 200
    return render_template("auth/login.html", form=form, error=error), status


def _emailed_link_page(purpose: str, kind: str, template: str):
    form = EmailOnlyForm()
    if form.validate_on_submit():
        services.request_emailed_link(form.email.data, purpose, request_origin())
        db.session.commit()
        return render_template("auth/check_email.html", email=form.email.data, kind=kind)
    return render_template(template, form=form), 422 if form.errors else 200


@bp.route("/login/magic", methods=["GET", "POST"])
@limiter.limit(AUTH_LIMIT, methods=["POST"])
@public
def magic_link_request():
    return _emailed_link_page("login", "magic", "auth/magic_request.html")


@bp.route("/auth/magic/<token>", methods=["GET", "POST"])
@limiter.limit(AUTH_LIMIT, methods=["POST"])
@public
def magic_login(token):
    # GET only shows a button: mail scanners that open links must not use them up.
    if request.method == "GET":
        live = services.peek_token(token, "login") is not None
        return render_template("auth/magic_confirm.html", token=token, live=live)
    try:
        record = services.consume_token(token, "login")
    except AuthError as exc:
        return render_template("auth/link_error.html", message=exc.message), 410
    user = record.user
    if not user.is_active:
        db.session.rollback()
        return render_template(
            "auth/link_error.html", message=_("החשבון הושבת. פנו למנהל/ת הסטודיו.")
        ), 403
    user.failed_login_count = 0
    return _after_first_factor(user, False, "", "magic_link")


@bp.route("/login/2fa", methods=["GET", "POST"])
@limiter.limit(AUTH_LIMIT, methods=["POST"])
@public
def two_factor_login():
    challenge = two_factor.find_challenge(session.get(CHALLENGE_KEY))
    if challenge is None:
        session.pop(CHALLENGE_KEY, None)
        flash(_("פג תוקף שלב האימות (5 דקות). היכנסו שוב."), "warning")
        return redirect(url_for("auth.login"))
    form = TwoFactorCodeForm()
    error = None
    if form.validate_on_submit():
        try:
            user = two_factor.answer_challenge(challenge, form.code.data, request_origin())
        except AuthError as exc:
            db.session.commit()
            error = exc.message
            if two_factor.find_challenge(session.get(CHALLENGE_KEY)) is None:
                session.pop(CHALLENGE_KEY, None)
                flash(error, "error")
                return redirect(url_for("auth.login"))
        else:
            next_url = session.get("2fa_next", "")
            method = session.get("2fa_method", "password")
            _sign_in(user, remember=challenge.remember, method=method)
            return redirect(_safe_next(next_url))
    status = 422 if (error or form.errors) else 200
    return render_template("auth/two_factor.html", form=form, error=error), status


@bp.route("/auth/forgot", methods=["GET", "POST"])
@limiter.limit(AUTH_LIMIT, methods=["POST"])
@public
def forgot_password():
    return _emailed_link_page("password_reset", "reset", "auth/forgot.html")


@bp.route("/auth/reset/<token>", methods=["GET", "POST"])
@limiter.limit(AUTH_LIMIT, methods=["POST"])
@public
def reset_password(token):
    record = services.peek_token(token, "password_reset")
    if record is None:
        try:
            services.consume_token(token, "password_reset")
        except AuthError as exc:
            return render_template("auth/link_error.html", message=exc.message), 410
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = services.reset_password(token, form.password.data, request_origin())
        except PasswordRejected as error:
            db.session.rollback()
            form.password.errors = list(error.problems)
        else:
            _sign_in(user)
            flash(_("הסיסמה עודכנה, וכל החיבורים האחרים נותקו."), "success")
            return redirect(url_for("dashboard.index"))
    return render_template("auth/reset.html", form=form, email=record.email), (
        422 if form.errors else 200
    )


@bp.post("/logout")
@signed_in
def logout():
    record = g.get("auth_session")
    if record is not None:
        services.end_session(record, request_origin())
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("התנתקת בהצלחה."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/invite/accept", methods=["GET", "POST"])
@limiter.limit(AUTH_LIMIT, methods=["POST"])
@public
def accept_invitation():
    token = request.values.get("token", "")
    try:
        invitation = tenants.find_invitation(token)
    except ValidationFailed as error:
        db.session.commit()  # an expired invitation is marked so
        return render_template("auth/link_error.html", message=error.messages[0]), 410
    account_exists = services.find_user_by_email(invitation.email) is not None
    studio_name = invitation.tenant.name  # read now: after the commit RLS hides the invitation
    form = AcceptInvitationForm()
    if request.method == "POST":
        user = current_user if current_user.is_authenticated else None
        if user is None and account_exists:
            return redirect(
                url_for("auth.login", next=url_for("auth.accept_invitation", token=token))
            )
        if user is not None or form.validate_on_submit():
            try:
                user, membership = tenants.accept_invitation(
                    invitation,
                    user,
                    request_origin(),
                    first_name=form.first_name.data or "",
                    last_name=form.last_name.data or "",
                    password=form.password.data or "",
                )
            except (ValidationFailed, PasswordRejected) as error:
                db.session.rollback()
                apply_service_errors(form, error)
            except PermissionDenied as error:
                db.session.rollback()
                return render_template("auth/link_error.html", message=error.message), 403
            else:
                if current_user.is_authenticated:
                    g.auth_session.current_tenant_id = membership.tenant_id
                    db.session.commit()
                else:
                    _sign_in(user, tenant_id=membership.tenant_id)
                flash(_("הצטרפת ל-%(studio)s.", studio=studio_name), "success")
                return redirect(url_for("dashboard.index"))
    return render_template(
        "auth/accept_invitation.html",
        invitation=invitation,
        form=form,
        token=token,
        account_exists=account_exists,
    ), 422 if form.errors else 200

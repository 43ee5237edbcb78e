"""אבטחה: password, two-factor authentication, and the devices signed in."""

from flask import flash, g, redirect, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, logout_user

from app.audit.services import record_audit
from app.auth import services, two_factor
from app.auth.errors import AuthError, PasswordRejected
from app.auth.forms import ChangePasswordForm, TwoFactorCodeForm
from app.core.forms import apply_service_errors
from app.core.permissions import signed_in
from app.core.render import render, request_origin
from app.extensions import db
from app.settings import bp

PENDING_SECRET = "pending_totp_secret"


def _page(status=200, **forms):
    user = current_user
    setup_secret = session.get(PENDING_SECRET) if not user.two_factor_enabled else None
    context = {
        "password_form": forms.get("password_form") or ChangePasswordForm(),
        "enable_form": forms.get("enable_form") or TwoFactorCodeForm(prefix="enable"),
        "disable_form": forms.get("disable_form") or TwoFactorCodeForm(prefix="disable"),
        "sessions": services.active_sessions(user),
        "current_session_id": g.auth_session.id if g.get("auth_session") else None,
        "setup_secret": setup_secret,
        "setup_qr": two_factor.qr_svg(two_factor.provisioning_uri(user, setup_secret))
        if setup_secret
        else None,
        "backup_codes": forms.get("backup_codes"),
        "backup_codes_left": two_factor.remaining_backup_codes(user)
        if user.two_factor_enabled
        else 0,
    }
    return render("settings/security.html", status=status, **context)


@bp.get("/security")
@signed_in
def security():
    return _page()


@bp.post("/security/password")
@signed_in
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user,
                form.current_password.data,
                form.password.data,
                request_origin(),
                keep_token=current_user.auth_session_token,
            )
        except PasswordRejected as error:
            db.session.rollback()
            apply_service_errors(form, error)
        except AuthError as error:
            db.session.rollback()
            form.current_password.errors = [error.message]
        else:
            db.session.commit()
            flash(_("הסיסמה עודכנה. חיבורים במכשירים אחרים נותקו."), "success")
            return redirect(url_for("settings.security"))
    return _page(status=422, password_form=form)


@bp.post("/security/2fa/start")
@signed_in
def start_two_factor():
    if not current_user.two_factor_enabled:
        session[PENDING_SECRET] = two_factor.new_secret()
    return redirect(url_for("settings.security") + "#two-factor")


@bp.post("/security/2fa/cancel")
@signed_in
def cancel_two_factor():
    session.pop(PENDING_SECRET, None)
    return redirect(url_for("settings.security"))


@bp.post("/security/2fa/enable")
@signed_in
def enable_two_factor():
    form = TwoFactorCodeForm(prefix="enable")
    secret = session.get(PENDING_SECRET)
    if secret is None:
        flash(_("התחילו את ההגדרה מחדש."), "warning")
        return redirect(url_for("settings.security"))
    if form.validate_on_submit():
        try:
            codes = two_factor.enable_totp(current_user, secret, form.code.data, request_origin())
        except AuthError as error:
            db.session.rollback()
            form.code.errors = [error.message]
        else:
            db.session.commit()
            session.pop(PENDING_SECRET, None)
            flash(_("אימות דו-שלבי הופעל."), "success")
            return _page(backup_codes=codes)
    return _page(status=422, enable_form=form)


@bp.post("/security/2fa/disable")
@signed_in
def disable_two_factor():
    form = TwoFactorCodeForm(prefix="disable")
    if form.validate_on_submit():
        try:
            two_factor.disable_totp(current_user, form.code.data, request_origin())
        except AuthError as error:
            db.session.rollback()
            form.code.errors = [error.message]
        else:
            db.session.commit()
            flash(_("אימות דו-שלבי כובה."), "success")
            return redirect(url_for("settings.security"))
    return _page(status=422, disable_form=form)


@bp.post("/security/sessions/<uuid:session_id>/revoke")
@signed_in
def revoke_session(session_id):
    try:
        record = services.revoke_session(current_user, session_id, request_origin())
    except AuthError as error:
        flash(error.message, "error")
        return redirect(url_for("settings.security"))
    db.session.commit()
    if g.get("auth_session") and record.id == g.auth_session.id:
        logout_user()
        session.clear()
        return redirect(url_for("auth.login"))
    flash(_("החיבור נותק."), "success")
    return redirect(url_for("settings.security") + "#sessions")


@bp.post("/security/sessions/revoke-others")
@signed_in
def revoke_other_sessions():
    count = services.revoke_all_sessions(
        current_user, "revoked_by_user", except_token=current_user.auth_session_token
    )
    record_audit(
        "auth.session_revoke",
        user=current_user,
        origin=request_origin(),
        entity_type="auth_session",
        entity_name=f"{count} sessions",
    )
    db.session.commit()
    flash(ngettext("נותק חיבור אחר אחד.", "נותקו %(num)d חיבורים אחרים.", count), "success")
    return redirect(url_for("settings.security") + "#sessions")

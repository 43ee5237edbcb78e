"""Signing in and out: passwords with lockout, device sessions, magic links, resets."""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select, update
from user_agents import parse as parse_user_agent

from app.audit.services import RequestInfo, record_audit
from app.auth.errors import (
    AccountInactive,
    AccountLocked,
    InvalidCredentials,
    PasswordRejected,
    TokenInvalid,
)
from app.auth.models import AuthSession, AuthToken, PasswordHistory, User
from app.auth.passwords import (
    HISTORY_DEPTH,
    hash_password,
    password_problems,
    verify_password,
)
from app.core.db import as_utc, utcnow
from app.core.mail import send_mail
from app.core.tokens import hash_token, new_token
from app.extensions import db

TOKEN_LIFETIMES = {"login": timedelta(minutes=15), "password_reset": timedelta(hours=1)}


def normalize_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


# --- passwords -------------------------------------------------------------------------


def set_password(user: User, password: str, *, check_history: bool = True) -> None:
    problems = password_problems(password)
    if not problems and check_history and _was_used_before(user, password):
        problems.append(_("כבר השתמשתם בסיסמה הזו לאחרונה. בחרו סיסמה חדשה."))
    if problems:
        raise PasswordRejected(problems)
    if user.password_hash:
        db.session.add(PasswordHistory(user_id=user.id, password_hash=user.password_hash))
    user.password_hash = hash_password(password)


def _was_used_before(user: User, password: str) -> bool:
    if user.id is None:
        return False
    if verify_password(user.password_hash, password):
        return True
    previous = db.session.scalars(
        select(PasswordHistory.password_hash)
        .where(PasswordHistory.user_id == user.id)
        .order_by(PasswordHistory.created_at.desc())
        .limit(HISTORY_DEPTH - 1)
    )
    return any(verify_password(old_hash, password) for old_hash in previous)


def change_password(user: User, current: str, new: str, origin: RequestInfo, keep_token: str):
    """Change a password; every other session of the user is signed out."""
    if not verify_password(user.password_hash, current):
        raise InvalidCredentials(_("הסיסמה הנוכחית שגויה."))
    set_password(user, new)
    revoke_all_sessions(user, reason="password_change", except_token=keep_token)
    record_audit("auth.password_change", user=user, origin=origin)


# --- password login with lockout --------------------------------------------------------


def authenticate(email: str, password: str, origin: RequestInfo) -> User:
    """Check e-mail and password. Raises; five failures lock the account for 15 minutes."""
    user = find_user_by_email(email)
    now = utcnow()
    if user is None:
        record_audit(
            "auth.login_failed",
            email=normalize_email(email),
            origin=origin,
            status="failure",
            error="unknown e-mail",
        )
        raise InvalidCredentials(_("האימייל או הסיסמה שגויים."))
    if user.is_locked(now):
        raise AccountLocked(_lockout_message(user, now))
    if not verify_password(user.password_hash, password):
        _register_failure(user, now, origin)
        if user.is_locked(now):
            raise AccountLocked(_lockout_message(user, now))
        left = current_app.config["LOGIN_MAX_ATTEMPTS"] - user.failed_login_count
        message = _("האימייל או הסיסמה שגויים.")
        if left <= 2:
            message += " " + ngettext(
                "נותר ניסיון אחד לפני נעילה זמנית של החשבון.",
                "נותרו %(num)d ניסיונות לפני נעילה זמנית של החשבון.",
                left,
            )
        raise InvalidCredentials(message)
    if not user.is_active:
        raise AccountInactive(_("החשבון הושבת. פנו למנהל/ת הסטודיו."))
    user.failed_login_count = 0
    user.locked_until = None
    return user


def _register_failure(user: User, now: datetime, origin: RequestInfo) -> None:
    user.failed_login_count += 1
    record_audit(
        "auth.login_failed", user=user, origin=origin, status="failure", error="wrong password"
    )
    if user.failed_login_count >= current_app.config["LOGIN_MAX_ATTEMPTS"]:
        user.locked_until = now + current_app.config["LOCKOUT_DURATION"]
        user.failed_login_count = 0
        record_audit("auth.lockout", user=user, origin=origin, status="failure")


def _lockout_message(user: User, now: datetime) -> str:
    minutes = max(1, math.ceil((as_utc(user.locked_until) - now).total_seconds() / 60))
    attempts = current_app.config["LOGIN_MAX_ATTEMPTS"]
    return " ".join(
        [
            _("החשבון ננעל זמנית אחרי %(n)d ניסיונות כניסה כושלים.", n=attempts),
            ngettext("נסו שוב בעוד דקה,", "נסו שוב בעוד %(num)d דקות,", minutes),
            _('או אפסו את הסיסמה דרך "שכחתי סיסמה".'),
        ]
    )


# --- device sessions ---------------------------------------------------------------------


@dataclass
class StartedSession:
    token: str
    record: AuthSession


def describe_device(user_agent: str | None) -> dict:
    ua = parse_user_agent(user_agent or "")
    device_type = "mobile" if ua.is_mobile else "tablet" if ua.is_tablet else "desktop"
    browser = " ".join(filter(None, [ua.browser.family, ua.browser.version_string])) or None
    os_name = " ".join(filter(None, [ua.os.family, ua.os.version_string])) or None
    device = ua.device.family if ua.device.family not in (None, "Other") else None
    return {"device_type": device_type, "browser": browser, "os": os_name, "device_name": device}


def start_session(
    user: User, origin: RequestInfo, *, remember: bool = False, tenant_id=None, method="password"
) -> StartedSession:
    """Sign a user in on one device, keeping at most MAX_CONCURRENT_SESSIONS open."""
    token = new_token()
    now = utcnow()
    ttl = current_app.config["REMEMBER_TTL" if remember else "SESSION_TTL"]
    record = AuthSession(
        user_id=user.id,
        current_tenant_id=tenant_id,
        token_hash=hash_token(token),
        ip=origin.ip,
        remember=remember,
        expires_at=now + ttl,
        last_active_at=now,
        **describe_device(origin.user_agent),
    )
    db.session.add(record)
    db.session.flush()
    _enforce_session_limit(user)
    user.last_login_at = now
    action = "auth.magic_link_login" if method == "magic_link" else "auth.login"
    record_audit(action, user=user, tenant_id=tenant_id, origin=origin)
    user.auth_session_token = token
    return StartedSession(token=token, record=record)


def _enforce_session_limit(user: User) -> None:
    limit = current_app.config["MAX_CONCURRENT_SESSIONS"]
    active = db.session.scalars(
        select(AuthSession)
        .where(AuthSession.user_id == user.id, AuthSession.is_active.is_(True))
        .order_by(AuthSession.last_active_at.desc(), AuthSession.created_at.desc())
    ).all()
    for stale in active[limit:]:
        _revoke(stale, "session_limit")


def load_session(token: str) -> AuthSession | None:
    """The live session behind a browser's token, touched at most once a minute."""
    record = db.session.scalar(
        select(AuthSession).where(AuthSession.token_hash == hash_token(token))
    )
    now = utcnow()
    if record is None or not record.is_valid(now) or not record.user.is_active:
        return None
    if now - as_utc(record.last_active_at) > timedelta(minutes=1):
        record.last_active_at = now
        if not record.remember:
            # Sliding 24 h window: an idle session ends a day after its last use.
            record.expires_at = now + current_app.config["SESSION_TTL"]
    return record


def _revoke(record: AuthSession, reason: str) -> None:
    record.is_active = False
    record.revoked_at = utcnow()
    record.revoked_reason = reason


def end_session(record: AuthSession, origin: RequestInfo) -> None:
    _revoke(record, "logout")
    record_audit("auth.logout", user=record.user, origin=origin)


def revoke_session(user: User, session_id, origin: RequestInfo) -> AuthSession:
    record = db.session.scalar(
        select(AuthSession).where(AuthSession.id == session_id, AuthSession.user_id == user.id)
    )
    if record is None:
        raise TokenInvalid(_("החיבור לא נמצא."))
    _revoke(record, "revoked_by_user")
    record_audit("auth.session_revoke", user=user, entity=record, origin=origin)
    return record


def revoke_all_sessions(user: User, reason: str, except_token: str | None = None) -> int:
    keep = hash_token(except_token) if except_token else None
    statement = (
        update(AuthSession)
        .where(AuthSession.user_id == user.id, AuthSession.is_active.is_(True))
        .values(is_active=False, revoked_at=utcnow(), revoked_reason=reason)
    )
    if keep:
        statement = statement.where(AuthSession.token_hash != keep)
    return db.session.execute(statement, execution_options={"synchronize_session": False}).rowcount


def active_sessions(user: User) -> list[AuthSession]:
    now = utcnow()
    rows = db.session.scalars(
        select(AuthSession)
        .where(AuthSession.user_id == user.id, AuthSession.is_active.is_(True))
        .order_by(AuthSession.last_active_at.desc())
    ).all()
    return [row for row in rows if row.is_valid(now)]


# --- e-mailed one-time links --------------------------------------------------------------


def _issue_token(user: User, purpose: str, origin: RequestInfo) -> str:
    token = new_token()
    db.session.add(
        AuthToken(
            user_id=user.id,
            email=user.email,
            purpose=purpose,
            token_hash=hash_token(token),
            expires_at=utcnow() + TOKEN_LIFETIMES[purpose],
            requested_from_ip=origin.ip,
        )
    )
    return token


def consume_token(token: str, purpose: str) -> AuthToken:
    """Use a one-time link. Raises with a clear message when it is unknown, used or expired."""
    record = db.session.scalar(
        select(AuthToken).where(
            AuthToken.token_hash == hash_token(token or ""), AuthToken.purpose == purpose
        )
    )
    if record is None:
        raise TokenInvalid(_("הקישור אינו תקין. בקשו קישור חדש."))
    if record.used_at is not None:
        raise TokenInvalid(_("כבר השתמשו בקישור הזה. כל קישור עובד פעם אחת בלבד; בקשו קישור חדש."))
    if as_utc(record.expires_at) <= utcnow():
        raise TokenInvalid(_("פג תוקף הקישור. בקשו קישור חדש."))
    record.used_at = utcnow()
    return record


LINKS = {
    # purpose: (e-mail template, endpoint that opens the link)
    "login": ("magic_link", "auth.magic_login"),
    "password_reset": ("password_reset", "auth.reset_password"),
}


def request_emailed_link(email: str, purpose: str, origin: RequestInfo) -> None:
    """E-mail a one-time link (sign-in: 15 minutes, reset: one hour).

    Silent when the address is unknown or inactive, so the page cannot be used to find out
    who has an account.
    """
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return
    template, endpoint = LINKS[purpose]
    subjects = {
        "login": _("קישור כניסה ל-Studio OS"),
        "password_reset": _("איפוס סיסמה ל-Studio OS"),
    }
    token = _issue_token(user, purpose, origin)
    send_mail(
        user.email,
        subjects[purpose],
        template,
        user=user,
        link=url_for(endpoint, token=token, _external=True),
        minutes=int(TOKEN_LIFETIMES[purpose].total_seconds() // 60),
    )


def peek_token(token: str, purpose: str) -> AuthToken | None:
    """Look at a link without using it (to show the reset form only for a live link)."""
    record = db.session.scalar(
        select(AuthToken).where(
            AuthToken.token_hash == hash_token(token or ""), AuthToken.purpose == purpose
        )
    )
    if record is None or record.used_at is not None or as_utc(record.expires_at) <= utcnow():
        return None
    return record


def reset_password(token: str, new_password: str, origin: RequestInfo) -> User:
    record = consume_token(token, "password_reset")
    user = record.user
    set_password(user, new_password)
    user.failed_login_count = 0
    user.locked_until = None
    revoke_all_sessions(user, reason="password_reset")
    record_audit("auth.password_reset", user=user, origin=origin)
    return user

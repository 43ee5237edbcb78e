"""Two-factor authentication with TOTP apps, backup codes, and the login challenge."""

import hmac
import io
import secrets
from datetime import UTC, datetime, timedelta

import pyotp
import qrcode
import qrcode.image.svg
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import delete, select

from app.audit.services import RequestInfo, record_audit
from app.auth.errors import TwoFactorFailed
from app.auth.models import BackupCode, TwoFactorChallenge, User
from app.core.db import as_utc, utcnow
from app.core.tokens import hash_token, new_token
from app.extensions import db

ISSUER = "Studio OS"
BACKUP_CODE_COUNT = 10
CHALLENGE_TTL = timedelta(minutes=5)


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(data: str) -> str:
    """An inline SVG QR code (no image files, no external service)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]


def _matching_step(secret: str, code: str) -> int | None:
    """The 30-second step (now, or one either side for clock drift) whose code this is."""
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    if len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now_step = totp.timecode(datetime.now(UTC))
    for step in (now_step, now_step - 1, now_step + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _normalize_backup(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def _new_backup_codes(user: User) -> list[str]:
    db.session.execute(delete(BackupCode).where(BackupCode.user_id == user.id))
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    codes = []
    for _i in range(BACKUP_CODE_COUNT):
        raw = "".join(secrets.choice(alphabet) for _j in range(8))
        codes.append(f"{raw[:4]}-{raw[4:]}")
        db.session.add(BackupCode(user_id=user.id, code_hash=hash_token(_normalize_backup(raw))))
    return codes


def enable_totp(user: User, secret: str, code: str, origin: RequestInfo) -> list[str]:
    """Turn 2FA on once the user proves the app works; returns backup codes to show once."""
    if user.two_factor_enabled:
        raise TwoFactorFailed(_("אימות דו-שלבי כבר פעיל."))
    step = _matching_step(secret, code)
    if step is None:
        raise TwoFactorFailed(_("הקוד שגוי. ודאו שהשעון בטלפון מדויק והקלידו את הקוד העדכני."))
    user.totp_secret = secret
    user.totp_last_step = step
    user.totp_enabled_at = utcnow()
    codes = _new_backup_codes(user)
    record_audit("auth.2fa_enable", user=user, origin=origin)
    return codes


def verify_second_factor(user: User, code: str) -> str | None:
    """'totp' or 'backup_code' when the code is good (a backup code is used up), else None."""
    step = _matching_step(user.totp_secret, code) if user.totp_secret else None
    if step is not None and step > (user.totp_last_step or -1):
        user.totp_last_step = step
        return "totp"
    normalized = _normalize_backup(code)
    if len(normalized) != 8:
        return None
    backup = db.session.scalar(
        select(BackupCode).where(
            BackupCode.user_id == user.id,
            BackupCode.code_hash == hash_token(normalized),
            BackupCode.used_at.is_(None),
        )
    )
    if backup is None:
        return None
    backup.used_at = utcnow()
    return "backup_code"


def disable_totp(user: User, code: str, origin: RequestInfo) -> None:
    if not user.two_factor_enabled:
        raise TwoFactorFailed(_("אימות דו-שלבי אינו פעיל."))
    if verify_second_factor(user, code) is None:
        raise TwoFactorFailed(_("הקוד שגוי. הזינו קוד מהאפליקציה או קוד גיבוי."))
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(BackupCode).where(BackupCode.user_id == user.id))
    record_audit("auth.2fa_disable", user=user, origin=origin)


def regenerate_backup_codes(user: User, code: str) -> list[str]:
    if verify_second_factor(user, code) is None:
        raise TwoFactorFailed(_("הקוד שגוי."))
    return _new_backup_codes(user)


def remaining_backup_codes(user: User) -> int:
    rows = db.session.scalars(
        select(BackupCode.id).where(BackupCode.user_id == user.id, BackupCode.used_at.is_(None))
    )
    return len(rows.all())


def open_challenge(user: User, remember: bool) -> str:
    """After the password (or magic link) is accepted: a 5-minute, 5-attempt code step."""
    token = new_token()
    db.session.add(
        TwoFactorChallenge(
            user_id=user.id,
            token_hash=hash_token(token),
            remember=remember,
            expires_at=utcnow() + CHALLENGE_TTL,
        )
    )
    return token


def find_challenge(token: str | None) -> TwoFactorChallenge | None:
    if not token:
        return None
    challenge = db.session.scalar(
        select(TwoFactorChallenge).where(TwoFactorChallenge.token_hash == hash_token(token))
    )
    if (
        challenge is None
        or challenge.verified_at is not None
        or as_utc(challenge.expires_at) <= utcnow()
        or challenge.attempts >= challenge.max_attempts
    ):
        return None
    return challenge


def answer_challenge(challenge: TwoFactorChallenge, code: str, origin: RequestInfo) -> User:
    challenge.attempts += 1
    method = verify_second_factor(challenge.user, code)
    if method is None:
        left = challenge.max_attempts - challenge.attempts
        record_audit(
            "auth.login_failed",
            user=challenge.user,
            origin=origin,
            status="failure",
            error="wrong 2FA code",
        )
        if left <= 0:
            raise TwoFactorFailed(_("יותר מדי ניסיונות שגויים. היכנסו מחדש."))
        raise TwoFactorFailed(
            ngettext("הקוד שגוי. נותר ניסיון אחד.", "הקוד שגוי. נותרו %(num)d ניסיונות.", left)
        )
    challenge.verified_at = utcnow()
    challenge.method = method
    return challenge.user

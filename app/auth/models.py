"""Accounts and everything that proves who a person is: sessions, one-time tokens, 2FA."""

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import IdMixin, TimestampMixin, UTCDateTime, as_utc, utcnow
from app.extensions import db

THEMES = ("light", "dark", "system")
TOKEN_PURPOSES = ("login", "signup", "password_reset")
DEVICE_TYPES = ("desktop", "mobile", "tablet")


class User(IdMixin, TimestampMixin, db.Model):
    """A person. Users live outside tenants; `Membership` places them in studios."""

    __tablename__ = "users"

    email: Mapped[str] = mapped_column(String(255), unique=True, nullable=False)
    first_name: Mapped[str] = mapped_column(String(100), nullable=False)
    last_name: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    phone: Mapped[str | None] = mapped_column(String(20))
    avatar: Mapped[str | None] = mapped_column(String(500))
    title: Mapped[str | None] = mapped_column(String(100))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    language: Mapped[str] = mapped_column(String(5), default="he", nullable=False)
    theme: Mapped[str] = mapped_column(String(8), default="system", nullable=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    is_platform_admin: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    failed_login_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The last 30-second step whose code was accepted: a code works once, even within its window.
    totp_last_step: Mapped[int | None] = mapped_column(Integer)

    memberships = relationship("Membership", back_populates="user")

    # Flask-Login: the session id is the identity, so revoking a session logs it out.
    auth_session_token = None  # type: str | None  (not a column)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def two_factor_enabled(self) -> bool:
        return self.totp_enabled_at is not None

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str | None:
        return self.auth_session_token

    def is_locked(self, now: datetime | None = None) -> bool:
        locked_until = as_utc(self.locked_until)
        return bool(locked_until and locked_until > (now or utcnow()))

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class AuthSession(IdMixin, TimestampMixin, db.Model):
    """One signed-in device. The browser holds the token; we keep only its hash."""

    __tablename__ = "auth_sessions"
    __table_args__ = (Index("idx_auth_sessions_user_active", "user_id", "is_active"),)

    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    current_tenant_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("tenants.id", ondelete="SET NULL"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    device_type: Mapped[str] = mapped_column(String(10), default="desktop", nullable=False)
    device_name: Mapped[str | None] = mapped_column(String(100))
    browser: Mapped[str | None] = mapped_column(String(100))
    os: Mapped[str | None] = mapped_column(String(100))
    ip: Mapped[str | None] = mapped_column(String(45))
    remember: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    last_active_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_reason: Mapped[str | None] = mapped_column(String(50))

    user = relationship("User")

    def is_valid(self, now: datetime | None = None) -> bool:
        return self.is_active and as_utc(self.expires_at) > (now or utcnow())


class AuthToken(IdMixin, TimestampMixin, db.Model):
    """A single-use e-mailed link: magic-link login or password reset."""

    __tablename__ = "auth_tokens"

    user_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(255), nullable=False)
    purpose: Mapped[str] = mapped_column(String(20), nullable=False)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    requested_from_ip: Mapped[str | None] = mapped_column(String(45))

    user = relationship("User")


class PasswordHistory(IdMixin, TimestampMixin, db.Model):
    """Earlier password hashes, so a user cannot reuse any of the last five."""

    __tablename__ = "password_history"

    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)


class BackupCode(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "backup_codes"

    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class TwoFactorChallenge(IdMixin, TimestampMixin, db.Model):
    """The second step of a login: five minutes and five attempts to give a code."""

    __tablename__ = "two_factor_challenges"

    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    remember: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    max_attempts: Mapped[int] = mapped_column(Integer, default=5, nullable=False)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    method: Mapped[str | None] = mapped_column(String(16))

    user = relationship("User")

"""The security audit log: who did what, from where, and whether it worked."""

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import IdMixin, UTCDateTime, utcnow
from app.extensions import db

AUDITED_ACTIONS = (
    "auth.login",
    "auth.login_failed",
    "auth.lockout",
    "auth.logout",
    "auth.magic_link_login",
    "auth.password_change",
    "auth.password_reset",
    "auth.2fa_enable",
    "auth.2fa_disable",
    "auth.session_revoke",
    "user.invite",
    "user.invite_cancel",
    "user.invite_accept",
    "user.role_change",
    "user.permissions_change",
    "user.deactivate",
    "user.reactivate",
    "tenant.create",
    "tenant.deactivate",
    "tenant.reactivate",
    "admin.user_deactivate",
    "admin.user_reactivate",
    "settings.update",
    "data.export",
)


class AuditLog(IdMixin, db.Model):
    """Not tenant-scoped: failed logins and platform actions have no tenant.

    Readers filter by `tenant_id` explicitly.
    """

    __tablename__ = "audit_logs"
    __table_args__ = (
        Index("idx_audit_logs_tenant_timestamp", "tenant_id", "timestamp"),
        Index("idx_audit_logs_user_timestamp", "user_id", "timestamp"),
    )

    tenant_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("tenants.id", ondelete="SET NULL")
    )
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="SET NULL")
    )
    user_email: Mapped[str | None] = mapped_column(String(255))
    user_role: Mapped[str | None] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    entity_type: Mapped[str | None] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    entity_name: Mapped[str | None] = mapped_column(String(255))
    changes: Mapped[list | None] = mapped_column(JSON)
    ip_address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(10), default="success", nullable=False)
    error_message: Mapped[str | None] = mapped_column(String(500))
    timestamp: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

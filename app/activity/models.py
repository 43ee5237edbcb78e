"""ActivityLog (spec entity 15): what changed in a studio's data, by whom, old → new."""

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import IdMixin, TenantScoped, UTCDateTime, utcnow
from app.extensions import db

ACTIONS = (
    "created",
    "updated",
    "deleted",
    "approved",
    "rejected",
    "sent",
    "viewed",
    "commented",
    "status_changed",
    "assigned",
)


class ActivityLog(IdMixin, TenantScoped, db.Model):
    __tablename__ = "activity_logs"
    __table_args__ = (
        Index("idx_activities_entity", "entity_type", "entity_id"),
        Index("idx_activity_logs_tenant_timestamp", "tenant_id", "timestamp"),
        Index("idx_activity_logs_tenant_user_timestamp", "tenant_id", "user_id", "timestamp"),
    )

    user_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="SET NULL")
    )
    action: Mapped[str] = mapped_column(String(20), nullable=False)
    entity_type: Mapped[str] = mapped_column(String(40), nullable=False)
    entity_id: Mapped[str] = mapped_column(String(64), nullable=False)
    entity_name: Mapped[str | None] = mapped_column(String(255))
    changes: Mapped[dict | None] = mapped_column(JSON)
    description: Mapped[str | None] = mapped_column(Text)
    project_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    client_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    timestamp: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    ip_address: Mapped[str | None] = mapped_column(String(45))

    user = relationship("User")

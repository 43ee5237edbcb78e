"""Label (spec section י): coloured tags a studio attaches to projects, clients, tasks..."""

import uuid
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import IdMixin, TenantScoped, TimestampMixin, UTCDateTime, utcnow
from app.extensions import db

# The entity kinds a label can apply to (keys stored in Label.entity_types).
LABEL_ENTITY_TYPES = (
    "project",
    "client",
    "supplier",
    "professional",
    "task",
    "product",
    "document",
)


class Label(IdMixin, TimestampMixin, TenantScoped, db.Model):
    __tablename__ = "labels"
    __table_args__ = (
        Index("uq_labels_tenant_name", "tenant_id", "name", unique=True),
        Index("idx_labels_tenant_order", "tenant_id", "order"),
    )

    name: Mapped[str] = mapped_column(String(50), nullable=False)
    color: Mapped[str] = mapped_column(String(9), nullable=False, default="#3399FF")
    entity_types: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    order: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)

    def applies_to(self, entity_type: str) -> bool:
        return entity_type in (self.entity_types or [])

    def __repr__(self) -> str:
        return f"<Label {self.name}>"


class EntityLabel(IdMixin, TenantScoped, db.Model):
    """One label on one entity (any kind: the pair entity_type + entity_id)."""

    __tablename__ = "entity_labels"
    __table_args__ = (
        Index("uq_entity_labels_label_entity", "label_id", "entity_type", "entity_id", unique=True),
        Index("idx_entity_labels_tenant_entity", "tenant_id", "entity_type", "entity_id"),
    )

    label_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("labels.id", ondelete="CASCADE"), nullable=False
    )
    entity_type: Mapped[str] = mapped_column(String(32), nullable=False)
    entity_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    label = relationship(Label)

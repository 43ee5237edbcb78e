"""ConfigurableEntity: every per-studio list (types, statuses, phases, categories, trades)."""

from sqlalchemy import JSON, Boolean, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import IdMixin, TenantScoped, TimestampMixin
from app.extensions import db

ENTITY_TYPES = (
    "project_type",
    "project_status",
    "project_phase",
    "task_status",
    "product_category",
    "room_type",
    "supplier_category",
    "trade",
    "document_category",
    "expense_category",
    "lead_source",
)

# Kinds whose entries are statuses: they carry is_final and allowed_transitions.
STATUS_TYPES = ("project_status", "task_status", "project_phase")


class ConfigurableEntity(IdMixin, TimestampMixin, TenantScoped, db.Model):
    __tablename__ = "configurable_entities"
    __table_args__ = (
        Index("idx_configurable_entities_tenant_type_order", "tenant_id", "entity_type", "order"),
        Index(
            "uq_configurable_entities_tenant_type_key",
            "tenant_id",
            "entity_type",
            "key",
            unique=True,
        ),
    )

    entity_type: Mapped[str] = mapped_column(String(32), nullable=False)
    key: Mapped[str] = mapped_column(String(64), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    name_en: Mapped[str | None] = mapped_column(String(100))
    color: Mapped[str | None] = mapped_column(String(9))
    icon: Mapped[str | None] = mapped_column(String(50))
    is_default: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    is_system: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    is_final: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    allowed_transitions: Mapped[list] = mapped_column(JSON, default=list)
    order: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)

    @property
    def is_status_kind(self) -> bool:
        return self.entity_type in STATUS_TYPES

    def __repr__(self) -> str:
        return f"<ConfigurableEntity {self.entity_type}:{self.key}>"

    @property
    def label(self) -> str:
        """The name in the reader's language (English falls back to the Hebrew name)."""
        from flask_babel import get_locale

        if self.name_en and str(get_locale() or "he") == "en":
            return self.name_en
        return self.name

"""Custom fields: per-studio field definitions for any entity type, and their values.

A value is always stored as a string and parsed by the definition's type
(`app.custom_fields.types`): numbers and currency as canonical decimals, dates as ISO,
datetimes as ISO in UTC, booleans as "true"/"false", multiselect as a JSON list.
"""

import uuid

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import IdMixin, TenantScoped, TimestampMixin
from app.extensions import db

# The spec's entity types, plus "tenant" (the studio's own profile, /settings/studio).
ENTITY_TYPES = (
    "project",
    "client",
    "supplier",
    "product",
    "room",
    "task",
    "professional",
    "tenant",
)

FIELD_TYPES = (
    "text",
    "number",
    "date",
    "datetime",
    "select",
    "multiselect",
    "boolean",
    "url",
    "email",
    "phone",
    "currency",
    "textarea",
    "file",
)


class CustomFieldDefinition(IdMixin, TimestampMixin, TenantScoped, db.Model):
    __tablename__ = "custom_field_definitions"
    __table_args__ = (
        UniqueConstraint(
            "tenant_id", "entity_type", "field_key", name="uq_custom_field_definitions_key"
        ),
        Index(
            "idx_custom_field_definitions_tenant_entity_order", "tenant_id", "entity_type", "order"
        ),
    )

    entity_type: Mapped[str] = mapped_column(String(20), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    field_key: Mapped[str] = mapped_column(String(64), nullable=False)
    field_type: Mapped[str] = mapped_column(String(20), nullable=False)
    # [{"value", "label", "color", "is_default"}] for select / multiselect
    options: Mapped[list] = mapped_column(JSON, default=list, nullable=False)

    is_required: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    # Bounds for number / currency (a decimal) and date / datetime (an ISO date), as strings.
    min_value: Mapped[str | None] = mapped_column(String(40))
    max_value: Mapped[str | None] = mapped_column(String(40))
    min_length: Mapped[int | None] = mapped_column(Integer)
    max_length: Mapped[int | None] = mapped_column(Integer)
    pattern: Mapped[str | None] = mapped_column(String(500))
    pattern_message: Mapped[str | None] = mapped_column(String(255))

    default_value: Mapped[str | None] = mapped_column(Text)
    placeholder: Mapped[str | None] = mapped_column(String(255))
    help_text: Mapped[str | None] = mapped_column(String(500))

    show_in_list: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    show_in_card: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    show_in_portal: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    show_in_filter: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)

    group_name: Mapped[str | None] = mapped_column(String(100))
    order: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)

    def option(self, value: str) -> dict | None:
        return next((o for o in self.options or [] if o.get("value") == value), None)

    def __repr__(self) -> str:
        return f"<CustomFieldDefinition {self.entity_type}.{self.field_key}>"


class CustomFieldValue(IdMixin, TimestampMixin, TenantScoped, db.Model):
    __tablename__ = "custom_field_values"
    __table_args__ = (
        UniqueConstraint("field_id", "entity_id", name="uq_custom_field_values_field_entity"),
        Index("idx_custom_field_values_tenant_entity", "tenant_id", "entity_type", "entity_id"),
    )

    field_id: Mapped[uuid.UUID] = mapped_column(
        Uuid,
        ForeignKey("custom_field_definitions.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    entity_type: Mapped[str] = mapped_column(String(20), nullable=False)
    entity_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    value: Mapped[str] = mapped_column(Text, nullable=False)

    field = relationship(CustomFieldDefinition, lazy="raise")

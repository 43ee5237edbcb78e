"""Model mixins shared by every domain: UUID keys, timestamps, tenant ownership."""

import uuid
from datetime import UTC, datetime

from sqlalchemy import DateTime, ForeignKey, Uuid
from sqlalchemy.orm import Mapped, declared_attr, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(DateTime):
    """Always timezone-aware UTC, also on SQLite (which drops the offset)."""

    def __init__(self):
        super().__init__(timezone=True)


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; every stored datetime is UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


class IdMixin:
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False
    )


class TenantScoped:
    """Marks a model as owned by a tenant.

    Every ORM query on it is filtered to the tenant in scope, and inserts get the tenant
    filled in (see `app.core.tenancy`). On PostgreSQL a row-level security policy enforces
    the same rule in the database.
    """

    @declared_attr
    def tenant_id(cls) -> Mapped[uuid.UUID]:
        return mapped_column(
            Uuid, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False, index=True
        )

"""`StoredFile`: an uploaded file's record; the bytes live in the storage backend."""

import uuid

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import IdMixin, TenantScoped, TimestampMixin
from app.extensions import db

THUMBNAIL_SIZES = (150, 400, 1200)


class StoredFile(IdMixin, TimestampMixin, TenantScoped, db.Model):
    __tablename__ = "stored_files"
    __table_args__ = (Index("idx_stored_files_tenant_created", "tenant_id", "created_at"),)

    key: Mapped[str] = mapped_column(String(500), nullable=False, unique=True)
    original_name: Mapped[str] = mapped_column(String(255), nullable=False)
    extension: Mapped[str | None] = mapped_column(String(16))
    content_type: Mapped[str] = mapped_column(String(100), nullable=False)
    size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    uploaded_by_user_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="SET NULL")
    )
    # {"150": key, "400": key, "1200": key} once the thumbnail job has run.
    thumbnails: Mapped[dict | None] = mapped_column(JSON)

    @property
    def name(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type in RASTER_IMAGE_TYPES

    def thumbnail_key(self, size: int) -> str | None:
        return (self.thumbnails or {}).get(str(size))


RASTER_IMAGE_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp", "image/tiff")

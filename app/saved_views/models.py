"""Saved views: a named filter of a list page (its query string), personal or shared with the
studio. Any list page can offer them (contacts now, projects and tasks later)."""

import uuid

from sqlalchemy import Boolean, ForeignKey, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import IdMixin, TenantScoped, TimestampMixin
from app.extensions import db


class SavedView(IdMixin, TimestampMixin, TenantScoped, db.Model):
    __tablename__ = "saved_views"
    __table_args__ = (Index("idx_saved_views_tenant_page", "tenant_id", "page", "user_id"),)

    page: Mapped[str] = mapped_column(String(64), nullable=False)  # e.g. "contacts:client"
    name: Mapped[str] = mapped_column(String(60), nullable=False)
    query: Mapped[str] = mapped_column(String(2000), nullable=False, default="")
    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )
    is_shared: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

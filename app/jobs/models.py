"""`JobRun`: one background job's state, progress and result file, visible to the UI."""

import uuid
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import IdMixin, TenantScoped, TimestampMixin, UTCDateTime, as_utc, utcnow
from app.extensions import db

JOB_STATUSES = ("queued", "running", "succeeded", "failed")
QUEUES = ("high", "default", "low")


class JobRun(IdMixin, TimestampMixin, TenantScoped, db.Model):
    __tablename__ = "job_runs"
    __table_args__ = (Index("idx_job_runs_tenant_created", "tenant_id", "created_at"),)

    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    func_path: Mapped[str] = mapped_column(String(200), nullable=False)
    args: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    queue: Mapped[str] = mapped_column(String(10), default="default", nullable=False)
    status: Mapped[str] = mapped_column(String(10), default="queued", nullable=False)
    progress: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    message: Mapped[str | None] = mapped_column(String(500))
    owners_only: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    result_key: Mapped[str | None] = mapped_column(String(500))
    result_name: Mapped[str | None] = mapped_column(String(255))
    result_content_type: Mapped[str | None] = mapped_column(String(100))
    result_size: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(500))
    error_detail: Mapped[str | None] = mapped_column(Text)
    created_by_user_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def is_done(self) -> bool:
        return self.status in ("succeeded", "failed")

    @property
    def result_expired(self) -> bool:
        expires = as_utc(self.expires_at)
        return expires is not None and expires <= utcnow()

    @property
    def has_result(self) -> bool:
        return self.status == "succeeded" and bool(self.result_key)

    def __repr__(self) -> str:
        return f"<JobRun {self.kind} {self.status} {self.progress}%>"

"""Tasks (spec section ה entity 8): project or general tasks with a configurable status,
checklist, reminders and dependencies; and task templates (checklists applied to a project)."""

import uuid
from datetime import date, datetime, time

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import IdMixin, TenantScoped, TimestampMixin, UTCDateTime
from app.extensions import db

TASK_PRIORITIES = ("low", "medium", "high", "urgent")
LINKED_ENTITY_TYPES = ("room", "product", "payment", "document", "change_order")


class Task(IdMixin, TimestampMixin, TenantScoped, db.Model):
    __tablename__ = "tasks"
    __table_args__ = (
        Index("idx_tasks_project_status", "tenant_id", "project_id", "status_key", "order"),
        Index("idx_tasks_tenant_assignee_due", "tenant_id", "assigned_user_id", "due_date"),
        Index("idx_tasks_tenant_due", "tenant_id", "due_date"),
    )

    project_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(500), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    status_key: Mapped[str] = mapped_column(String(64), nullable=False)  # task_status config
    is_done: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)  # final status
    priority: Mapped[str] = mapped_column(String(8), nullable=False, default="medium")
    category_key: Mapped[str | None] = mapped_column(String(64))
    assigned_user_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="SET NULL")
    )
    due_date: Mapped[date | None] = mapped_column(Date)
    due_time: Mapped[time | None] = mapped_column(Time)
    start_date: Mapped[date | None] = mapped_column(Date)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    estimated_hours: Mapped[int | None] = mapped_column(Integer)
    # [{"type": "email|notification|sms", "before_minutes": 60}]: stored now, sent by automations.
    reminders: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    linked_entity_type: Mapped[str | None] = mapped_column(String(20))
    linked_entity_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # Ids of tasks that must be done first (same project).
    depends_on: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    order: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    created_by_user_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="SET NULL")
    )

    checklist = relationship(
        "ChecklistItem",
        order_by="ChecklistItem.order",
        cascade="all, delete-orphan",
        lazy="raise",
        back_populates="task",
    )
    assignee = relationship("User", foreign_keys=[assigned_user_id], lazy="raise")
    project = relationship("Project", lazy="raise")

    entity_type = "task"


class ChecklistItem(IdMixin, TimestampMixin, TenantScoped, db.Model):
    __tablename__ = "task_checklist_items"
    __table_args__ = (Index("idx_task_checklist_items_task_order", "task_id", "order"),)

    task_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("tasks.id", ondelete="CASCADE"), nullable=False
    )
    text: Mapped[str] = mapped_column(String(500), nullable=False)
    completed: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    order: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    task = relationship(Task, back_populates="checklist", lazy="raise")


class TaskTemplate(IdMixin, TimestampMixin, TenantScoped, db.Model):
    """A checklist template: tasks with their checklists, applied to a project."""

    __tablename__ = "task_templates"

    name: Mapped[str] = mapped_column(String(100), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(50))
    # [{"title", "description", "checklist": [text], "priority", "estimated_hours", "offset_days"}]
    tasks: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    usage_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    is_built_in: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

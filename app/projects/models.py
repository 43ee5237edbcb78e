"""Projects (spec section ה entity 1), their rooms (entity 5), team, code numbering, and
project templates (digest C §3.7).

Status, phase and type are keys of the studio's configuration lists (project_status,
project_phase, project_type), like the contacts' lead sources: renaming an entry renames it
everywhere, and `configuration.validate_transition` guards the moves between them.
"""

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import IdMixin, TenantScoped, TimestampMixin, UTCDateTime
from app.extensions import db

PRIORITIES = ("low", "medium", "high")
BILLING_TYPES = ("fixed", "hourly", "percentage", "cost_plus", "hybrid")
PERMIT_STATUSES = (
    "not_required",
    "preparing",
    "submitted",
    "in_review",
    "approved",
    "rejected",
    "appealed",
)
DESIGN_STATUSES = ("not_started", "concept", "detailed", "approved", "in_progress", "completed")


class Project(IdMixin, TimestampMixin, TenantScoped, db.Model):
    __tablename__ = "projects"
    __table_args__ = (
        UniqueConstraint("tenant_id", "code", name="uq_projects_tenant_code"),
        Index("idx_projects_tenant_archived_created", "tenant_id", "archived_at", "created_at"),
        Index("idx_projects_tenant_status", "tenant_id", "status_key"),
        Index("idx_projects_tenant_phase", "tenant_id", "phase_key"),
        Index("idx_projects_tenant_client", "tenant_id", "client_id"),
        Index("idx_projects_tenant_name", "tenant_id", "name"),
    )

    name: Mapped[str] = mapped_column(String(100), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    code: Mapped[str] = mapped_column(String(20), nullable=False)

    client_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("clients.id", ondelete="SET NULL"), index=True
    )
    general_contractor_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("professionals.id", ondelete="SET NULL"), index=True
    )

    type_key: Mapped[str | None] = mapped_column(String(64))
    status_key: Mapped[str] = mapped_column(String(64), nullable=False)
    phase_key: Mapped[str | None] = mapped_column(String(64))
    priority: Mapped[str] = mapped_column(String(8), nullable=False, default="medium")
    is_vip: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    address: Mapped[str | None] = mapped_column(String(255))
    city: Mapped[str | None] = mapped_column(String(100))
    area: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))  # m²
    floors: Mapped[int | None] = mapped_column(Integer)

    budget: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    currency: Mapped[str] = mapped_column(String(3), nullable=False, default="ILS")
    billing_type: Mapped[str] = mapped_column(String(12), nullable=False, default="fixed")
    fixed_fee: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    hourly_rate: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    estimated_hours: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    percentage_of_budget: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    markup_percent: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))

    scope: Mapped[str | None] = mapped_column(Text)
    deliverables: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    revisions_included: Mapped[int] = mapped_column(Integer, nullable=False, default=2)

    requires_permit: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    permit_status: Mapped[str | None] = mapped_column(String(16))
    permit_number: Mapped[str | None] = mapped_column(String(50))

    start_date: Mapped[date | None] = mapped_column(Date)
    expected_end_date: Mapped[date | None] = mapped_column(Date)
    actual_end_date: Mapped[date | None] = mapped_column(Date)

    # Stored for the finance module (issue 6+): [{"name", "type", "percentage", "trigger"}].
    payment_structure: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    template_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("project_templates.id", ondelete="SET NULL")
    )
    created_by_user_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="SET NULL")
    )
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    client = relationship("Client", lazy="raise")
    members = relationship(
        "ProjectMember", cascade="all, delete-orphan", lazy="raise", back_populates="project"
    )

    entity_type = "project"

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def __repr__(self) -> str:
        return f"<Project {self.code} {self.name}>"


class ProjectMember(IdMixin, TimestampMixin, TenantScoped, db.Model):
    """A person assigned to a project (spec: assignedUserIds). Members without
    `can_access_all_projects` see only the projects they are assigned to."""

    __tablename__ = "project_members"
    __table_args__ = (
        UniqueConstraint("project_id", "user_id", name="uq_project_members_project_user"),
        Index("idx_project_members_tenant_user", "tenant_id", "user_id"),
    )

    project_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("projects.id", ondelete="CASCADE"), nullable=False, index=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )

    project = relationship(Project, back_populates="members", lazy="raise")
    user = relationship("User", lazy="raise")


class ProjectSequence(IdMixin, TenantScoped, db.Model):
    """The studio's project numbering: PRJ-001, PRJ-002... (prefix configurable)."""

    __tablename__ = "project_sequences"
    __table_args__ = (UniqueConstraint("tenant_id", name="uq_project_sequences_tenant"),)

    prefix: Mapped[str] = mapped_column(String(10), nullable=False, default="PRJ")
    next_number: Mapped[int] = mapped_column(Integer, nullable=False, default=1)


class Room(IdMixin, TimestampMixin, TenantScoped, db.Model):
    __tablename__ = "rooms"
    __table_args__ = (Index("idx_rooms_tenant_project_order", "tenant_id", "project_id", "order"),)

    project_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("projects.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    type_key: Mapped[str | None] = mapped_column(String(64))  # room_type configuration
    area: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    budget: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    design_status: Mapped[str] = mapped_column(String(16), nullable=False, default="not_started")
    notes: Mapped[str | None] = mapped_column(Text)
    order: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    entity_type = "room"


class ProjectTemplate(IdMixin, TimestampMixin, TenantScoped, db.Model):
    """A reusable project: rooms, tasks (phase, day offset, duration, role, dependencies,
    checklist), a payment structure and defaults, kept as JSON (it is copied, never queried)."""

    __tablename__ = "project_templates"
    __table_args__ = (Index("idx_project_templates_tenant_name", "tenant_id", "name"),)

    name: Mapped[str] = mapped_column(String(100), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(50))
    type_key: Mapped[str | None] = mapped_column(String(64))
    defaults: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    rooms: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    tasks: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    payment_structure: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    usage_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    is_built_in: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    created_by_user_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="SET NULL")
    )

"""The tenant (a studio or an events organiser), its memberships and team invitations."""

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import IdMixin, TenantScoped, TimestampMixin, UTCDateTime
from app.extensions import db

BUSINESS_TYPES = ("interior_design", "architecture", "both", "events")
PLANS = ("free", "basic", "pro", "enterprise")
ROLES = ("owner", "manager", "member")

# The spec's UserPermissions flags, in the order the UI shows them.
PERMISSION_FLAGS = (
    "can_view_financials",
    "can_edit_financials",
    "can_manage_users",
    "can_delete_records",
    "can_access_all_projects",
    "can_manage_settings",
)

ROLE_DEFAULT_PERMISSIONS = {
    "owner": dict.fromkeys(PERMISSION_FLAGS, True),
    "manager": {
        "can_view_financials": True,
        "can_edit_financials": False,
        "can_manage_users": False,
        "can_delete_records": False,
        "can_access_all_projects": True,
        "can_manage_settings": False,
    },
    "member": dict.fromkeys(PERMISSION_FLAGS, False),
}


def default_fee_settings() -> dict:
    return {
        "default_billing_type": "fixed",
        "default_hourly_rate": None,
        "default_markup_percent": 20,
        "markup_type": "cost_plus",
        "disbursement_percent": 0,
        "default_retainer_percent": 30,
    }


def default_features() -> dict:
    return {
        "time_tracking": True,
        "permit_tracking": False,
        "client_portal": True,
        "advanced_reporting": False,
        "multiple_locations": False,
        "custom_fields": True,
        "api_access": False,
    }


def default_limits() -> dict:
    return {"max_users": 5, "max_projects": 50, "max_storage_gb": 10, "max_clients_portal": 50}


class Tenant(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "tenants"

    name: Mapped[str] = mapped_column(String(100), nullable=False)
    slug: Mapped[str] = mapped_column(String(120), unique=True, nullable=False)
    logo: Mapped[str | None] = mapped_column(String(500))
    primary_color: Mapped[str | None] = mapped_column(String(9))
    email: Mapped[str] = mapped_column(String(255), nullable=False)
    phone: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(500))
    website: Mapped[str | None] = mapped_column(String(2000))
    business_type: Mapped[str] = mapped_column(String(20), default="interior_design")
    currency: Mapped[str] = mapped_column(String(3), default="ILS")
    vat_rate: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("18.00"))
    fiscal_year_start: Mapped[int] = mapped_column(Integer, default=1)
    fee_settings: Mapped[dict] = mapped_column(JSON, default=default_fee_settings)
    language: Mapped[str] = mapped_column(String(5), default="he")
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Jerusalem")
    date_format: Mapped[str] = mapped_column(String(16), default="DD/MM/YYYY")
    features: Mapped[dict] = mapped_column(JSON, default=default_features)
    plan: Mapped[str] = mapped_column(String(16), default="free")
    plan_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    limits: Mapped[dict] = mapped_column(JSON, default=default_limits)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)

    def __repr__(self) -> str:
        return f"<Tenant {self.slug}>"


class Membership(IdMixin, TimestampMixin, TenantScoped, db.Model):
    """A user's place in one tenant: role and permission flags (a user may have several)."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("tenant_id", "user_id", name="uq_memberships_tenant_user"),)

    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    role: Mapped[str] = mapped_column(String(16), nullable=False, default="member")
    can_view_financials: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    can_edit_financials: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    can_manage_users: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    can_delete_records: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    can_access_all_projects: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    can_manage_settings: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)

    tenant = relationship("Tenant", lazy="joined")
    user = relationship("User", back_populates="memberships")

    @property
    def is_owner(self) -> bool:
        return self.role == "owner"

    def has(self, flag: str) -> bool:
        """Owners hold every permission; others hold the flags set on them."""
        if flag not in PERMISSION_FLAGS:
            raise ValueError(f"Unknown permission flag {flag!r}")
        return self.is_owner or bool(getattr(self, flag))

    @property
    def role_label(self) -> str:
        from app.tenants.labels import role_label

        return role_label(self.role)


class TeamInvitation(IdMixin, TimestampMixin, TenantScoped, db.Model):
    __tablename__ = "team_invitations"
    __table_args__ = (Index("idx_team_invitations_tenant_status", "tenant_id", "status"),)

    email: Mapped[str] = mapped_column(String(255), nullable=False, index=True)
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    permissions: Mapped[dict] = mapped_column(JSON, default=dict)
    invited_by_user_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="pending")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    existing_user_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    tenant = relationship("Tenant")
    invited_by = relationship("User", foreign_keys=[invited_by_user_id])

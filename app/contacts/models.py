"""Contacts (spec section ה, entities 2, 3, 4 and 14): clients and leads, suppliers,
professionals, and the communication log with any of them.

Three tables, as in the spec; ids are UUIDs, so `/contacts/<id>` finds a contact in any of
them. Phones are also stored as digits only (`*_digits`, Israeli +972 folded to 0) so the
duplicate check and search match "050-1234567" with "+972 50 123 4567".
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
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import IdMixin, TenantScoped, TimestampMixin, UTCDateTime, utcnow
from app.extensions import db

CLIENT_TYPES = ("individual", "company")
CLIENT_STATUSES = ("lead", "active", "past", "inactive")
PREFERRED_COMMUNICATION = ("email", "phone", "whatsapp")
LEAD_STAGES = ("new", "contacted", "meeting", "proposal_sent", "won", "lost")
COMMUNICATION_TYPES = ("phone", "email", "whatsapp", "meeting", "note", "sms")
DIRECTIONS = ("incoming", "outgoing")
CONTACT_ENTITY_TYPES = ("client", "supplier", "professional")


class ContactBase(IdMixin, TimestampMixin, TenantScoped):
    """Columns every kind of contact has."""

    name: Mapped[str] = mapped_column(String(100), nullable=False)
    email: Mapped[str | None] = mapped_column(String(255))  # stored lower-case
    phone: Mapped[str | None] = mapped_column(String(20))
    phone_digits: Mapped[str | None] = mapped_column(String(20))
    notes: Mapped[str | None] = mapped_column(Text)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


def _contact_indexes(table: str) -> tuple:
    return (
        Index(f"idx_{table}_tenant_name", "tenant_id", "name"),
        Index(f"idx_{table}_tenant_email", "tenant_id", "email"),
        Index(f"idx_{table}_tenant_phone_digits", "tenant_id", "phone_digits"),
        Index(f"idx_{table}_tenant_archived_created", "tenant_id", "archived_at", "created_at"),
    )


class Client(ContactBase, db.Model):
    __tablename__ = "clients"
    __table_args__ = _contact_indexes("clients") + (
        Index("idx_clients_tenant_status", "tenant_id", "status", "lead_stage"),
        Index("idx_clients_tenant_mobile_digits", "tenant_id", "mobile_digits"),
        Index("idx_clients_tenant_lead_source", "tenant_id", "lead_source"),
    )
    entity_type = "client"

    type: Mapped[str] = mapped_column(String(12), nullable=False, default="individual")
    mobile: Mapped[str | None] = mapped_column(String(20))
    mobile_digits: Mapped[str | None] = mapped_column(String(20))
    preferred_communication: Mapped[str] = mapped_column(
        String(12), nullable=False, default="phone"
    )
    best_time_to_contact: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(255))
    city: Mapped[str | None] = mapped_column(String(100))
    company_number: Mapped[str | None] = mapped_column(String(20))
    contact_person: Mapped[str | None] = mapped_column(String(100))

    status: Mapped[str] = mapped_column(String(12), nullable=False, default="lead")
    lead_source: Mapped[str | None] = mapped_column(String(64))  # a lead_source config key
    lead_score: Mapped[int | None] = mapped_column(Integer)  # 0-100
    lead_stage: Mapped[str | None] = mapped_column(String(16))
    lead_stage_order: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    lost_reason: Mapped[str | None] = mapped_column(String(500))
    converted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    style_preferences: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    budget_range: Mapped[str | None] = mapped_column(String(100))

    referred_by: Mapped[str | None] = mapped_column(String(100))
    referred_by_client_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("clients.id", ondelete="SET NULL"), index=True
    )
    anniversary_date: Mapped[date | None] = mapped_column(Date)

    satisfaction_rating: Mapped[int | None] = mapped_column(Integer)  # 1-5
    would_recommend: Mapped[bool | None] = mapped_column(Boolean)
    testimonial: Mapped[str | None] = mapped_column(Text)

    referred_by_client = relationship("Client", remote_side="Client.id", lazy="raise")
    important_dates = relationship(
        "ClientImportantDate",
        order_by="ClientImportantDate.date",
        cascade="all, delete-orphan",
        lazy="raise",
        back_populates="client",
    )

    def __repr__(self) -> str:
        return f"<Client {self.name}>"


class ClientImportantDate(IdMixin, TimestampMixin, TenantScoped, db.Model):
    __tablename__ = "client_important_dates"

    client_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("clients.id", ondelete="CASCADE"), nullable=False, index=True
    )
    date: Mapped[date] = mapped_column(Date, nullable=False)
    description: Mapped[str] = mapped_column(String(200), nullable=False)
    reminder: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    client = relationship(Client, back_populates="important_dates", lazy="raise")


class Supplier(ContactBase, db.Model):
    __tablename__ = "suppliers"
    __table_args__ = _contact_indexes("suppliers") + (
        Index("idx_suppliers_tenant_category", "tenant_id", "category_key"),
    )
    entity_type = "supplier"

    category_key: Mapped[str | None] = mapped_column(String(64))  # supplier_category config
    website: Mapped[str | None] = mapped_column(String(2000))
    contact_person: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(255))
    city: Mapped[str | None] = mapped_column(String(100))
    company_number: Mapped[str | None] = mapped_column(String(20))

    payment_terms: Mapped[str | None] = mapped_column(String(200))
    discount_percent: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    credit_days: Mapped[int | None] = mapped_column(Integer)
    minimum_order: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))

    has_trade_account: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    trade_account_number: Mapped[str | None] = mapped_column(String(50))
    trade_discount_percent: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))

    rating: Mapped[int | None] = mapped_column(Integer)  # 1-5
    reliability_score: Mapped[int | None] = mapped_column(Integer)  # 0-100

    def __repr__(self) -> str:
        return f"<Supplier {self.name}>"


class Professional(ContactBase, db.Model):
    __tablename__ = "professionals"
    __table_args__ = _contact_indexes("professionals") + (
        Index("idx_professionals_tenant_trade", "tenant_id", "trade_key"),
        Index("idx_professionals_tenant_insurance", "tenant_id", "insurance_expiry"),
    )
    entity_type = "professional"

    company_name: Mapped[str | None] = mapped_column(String(100))
    trade_key: Mapped[str | None] = mapped_column(String(64))  # trade config
    license_number: Mapped[str | None] = mapped_column(String(50))
    insurance_expiry: Mapped[date | None] = mapped_column(Date)
    rating: Mapped[int | None] = mapped_column(Integer)  # 1-5
    total_projects: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    specialties: Mapped[list] = mapped_column(JSON, nullable=False, default=list)

    def __repr__(self) -> str:
        return f"<Professional {self.name}>"


CONTACT_MODELS = {"client": Client, "supplier": Supplier, "professional": Professional}


class CommunicationLog(IdMixin, TenantScoped, db.Model):
    __tablename__ = "communication_logs"
    __table_args__ = (
        Index("idx_communication_logs_entity", "tenant_id", "entity_type", "entity_id", "date"),
    )

    entity_type: Mapped[str] = mapped_column(String(20), nullable=False)
    entity_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    project_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)  # projects arrive in issue 5

    type: Mapped[str] = mapped_column(String(12), nullable=False)
    direction: Mapped[str] = mapped_column(String(10), nullable=False, default="outgoing")
    subject: Mapped[str | None] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text, nullable=False)
    date: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)

    user = relationship("User", lazy="raise")

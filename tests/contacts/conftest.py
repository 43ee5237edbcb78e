"""Shared fixtures for the contacts tests: two studios, every role, and a contact factory."""

import pytest
from sqlalchemy import select

from app.contacts import services
from app.core.tenancy import tenant_scope
from app.extensions import db
from app.tenants.models import Membership
from tests.factories import add_member, make_studio

HX = {"HX-Request": "true"}
ROLES = ("owner", "manager", "member")
EMAILS = {"owner": "owner@a.test", "manager": "manager@a.test", "member": "member@a.test"}


@pytest.fixture
def studio(ctx):
    tenant, _ = make_studio(name="סטודיו אלף", email="owner@a.test")
    add_member(tenant, "manager@a.test", "manager")
    add_member(tenant, "member@a.test", "member")
    return tenant


@pytest.fixture
def other_studio(ctx):
    tenant, _ = make_studio(name="סטודיו בית", email="owner@b.test", first_name="רון")
    return tenant


def membership(tenant, role="owner"):
    return db.session.scalar(
        select(Membership).where(Membership.tenant_id == tenant.id, Membership.role == role)
    )


@pytest.fixture
def owner(studio):
    with tenant_scope(studio.id):
        yield membership(studio, "owner")


def make_contact(actor, kind="client", **data):
    """A contact through the real service, with valid defaults for the required fields."""
    defaults = {
        "client": {
            "name": "דנה כהן",
            "type": "individual",
            "status": "active",
            "email": "dana@example.com",
            "preferred_communication": "phone",
        },
        "supplier": {"name": "ספק הרהיטים"},
        "professional": {
            "name": "יוסי החשמלאי",
            "trade_key": "electrician",
            "phone": "050-1111111",
        },
    }[kind]
    contact = services.create_contact(actor, kind, defaults | data)
    db.session.flush()
    return contact

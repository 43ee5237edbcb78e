"""Shared fixtures for projects and tasks tests: two studios, every role, and factories."""

import pytest
from sqlalchemy import select

from app.core.tenancy import tenant_scope
from app.extensions import db
from app.projects import services
from app.tenants.models import Membership
from tests.factories import add_member, make_studio

HX = {"HX-Request": "true"}
ROLES = ("owner", "manager", "member")
EMAILS = {"owner": "owner@a.test", "manager": "manager@a.test", "member": "member@a.test"}


@pytest.fixture
def other_studio(ctx):
    tenant, _ = make_studio(name="סטודיו בית", email="owner@b.test", first_name="רון")
    return tenant


@pytest.fixture
def studio(ctx):
    tenant, _ = make_studio(name="סטודיו אלף", email="owner@a.test")
    add_member(tenant, "manager@a.test", "manager")
    add_member(tenant, "member@a.test", "member")
    return tenant


def membership(tenant, role="owner"):
    return db.session.scalar(
        select(Membership).where(Membership.tenant_id == tenant.id, Membership.role == role)
    )


@pytest.fixture
def owner(studio):
    with tenant_scope(studio.id):
        yield membership(studio, "owner")


def make_project(actor, **data):
    """A project through the real service, with valid defaults."""
    project = services.create_project(actor, {"name": "דירת גן ברמת השרון"} | data)
    db.session.flush()
    return project

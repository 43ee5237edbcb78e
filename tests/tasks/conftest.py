"""Fixtures for the tasks tests: the projects' two studios and roles, plus task factories."""

import pytest

from app.core.tenancy import tenant_scope
from app.extensions import db
from app.tasks import services
from tests.conftest import login
from tests.projects.conftest import (  # noqa: F401  # noqa: F401 (fixtures)
    EMAILS,
    HX,
    ROLES,
    make_project,
    membership,
    other_studio,
    owner,
    studio,
)


def make_task(actor, project=None, **data):
    """A task through the real service, with a valid title."""
    task = services.create_task(actor, {"title": "להתקשר לספק"} | data, project=project)
    db.session.flush()
    return task


def signed_in(make_client, email):
    client = make_client()
    login(client, email)
    return client


@pytest.fixture
def clients(make_client, studio):  # noqa: F811
    """A signed-in test client per role of the first studio."""
    return {role: signed_in(make_client, EMAILS[role]) for role in ROLES}


@pytest.fixture
def seeded(studio):  # noqa: F811
    """A project the member is on, one they are not on, and tasks in each and general ones:
    {name: id}."""
    with tenant_scope(studio.id):
        owner_m = membership(studio, "owner")
        member = membership(studio, "member")
        mine = make_project(owner_m, name="דירה ברמת גן")
        services_set_team(owner_m, mine, [owner_m.user_id, member.user_id])
        theirs = make_project(owner_m, name="וילה בהרצליה")
        ids = {
            "project_mine": mine.id,
            "project_theirs": theirs.id,
            "in_mine": make_task(owner_m, mine, title="מדידות בדירה").id,
            "in_theirs": make_task(owner_m, theirs, title="בחירת אריחים בווילה").id,
            "general_for_member": make_task(
                owner_m, title="לחדש ביטוח", assigned_user_id=str(member.user_id)
            ).id,
            "general_by_member": make_task(member, title="להזמין כרטיסי ביקור").id,
            "general_other": make_task(owner_m, title="ישיבת צוות שבועית").id,
        }
        db.session.commit()
    return ids


def services_set_team(actor, project, user_ids):
    from app.projects import services as projects

    projects.set_team(actor, project, user_ids)

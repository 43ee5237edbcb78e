"""Projects services: visibility per role, team, rules, rooms, archive and delete."""

import pytest
from sqlalchemy import func, select

from app.activity.models import ActivityLog
from app.core.errors import PermissionDenied, ValidationFailed
from app.core.tenancy import tenant_scope
from app.extensions import db
from app.projects import rooms, services
from app.projects.models import Project, Room
from tests.factories import add_member
from tests.projects.conftest import make_project, membership


def test_members_see_only_assigned_projects_unless_allowed_all(owner, studio):
    mine = make_project(owner, name="פרויקט משותף")
    other = make_project(owner, name="פרויקט אחר")
    member = membership(studio, "member")
    services.set_team(owner, mine, [owner.user_id, member.user_id])
    assert services.get_project(member, mine.id) is not None
    assert services.get_project(member, other.id) is None
    assert services.get_project(membership(studio, "manager"), other.id) is not None
    add_member(studio, "all@a.test", "member", can_access_all_projects=True)
    with tenant_scope(studio.id):
        seer = db.session.scalar(
            select(type(member)).where(
                type(member).user_id != member.user_id, type(member).role == "member"
            )
        )
        assert services.get_project(seer, other.id) is not None


def test_members_cannot_create_but_owners_and_managers_can(owner, studio):
    with pytest.raises(PermissionDenied):
        make_project(membership(studio, "member"))
    assert make_project(membership(studio, "manager")).code == "PRJ-001"


def test_team_accepts_only_active_members_of_this_studio(other_studio, owner, studio):
    project = make_project(owner)
    from app.auth.models import User

    stranger = db.session.scalar(select(User).where(User.email == "owner@b.test"))
    with pytest.raises(ValidationFailed) as error:
        services.set_team(owner, project, [owner.user_id, stranger.id])
    assert "members" in error.value.errors
    assert services.set_team(owner, project, [owner.user_id, membership(studio, "member").user_id])
    assert len(services.team_of([project.id])[project.id]) == 2


def test_update_logs_readable_changes_and_refuses_financials_for_members(owner, studio):
    project = make_project(owner)
    services.update_project(owner, project, {"priority": "high", "budget": "250000"})
    entry = db.session.scalar(
        select(ActivityLog).where(
            ActivityLog.entity_id == str(project.id), ActivityLog.action == "updated"
        )
    )
    assert entry.changes["priority"] == {"old": "בינונית", "new": "גבוהה"}
    member = membership(studio, "member")
    services.set_team(owner, project, [owner.user_id, member.user_id])
    with pytest.raises(PermissionDenied):
        services.update_project(member, project, {"budget": "1"})
    assert services.update_project(member, project, {"city": "חולון"})["city"]["new"] == "חולון"
    with pytest.raises(ValidationFailed):
        services.update_project(owner, project, {"budget": "-5"})
    with pytest.raises(ValidationFailed):
        services.update_project(
            owner, project, {"client_id": "00000000-0000-0000-0000-000000000000"}
        )


def test_archive_and_delete_rules(owner, studio):
    project = make_project(owner)
    with pytest.raises(PermissionDenied):
        services.set_archived(membership(studio, "member"), project, True)
    assert services.set_archived(membership(studio, "manager"), project, True)
    with pytest.raises(PermissionDenied):
        services.delete_project(membership(studio, "manager"), project, "מחק")
    with pytest.raises(ValidationFailed):
        services.delete_project(owner, project, "delete")
    rooms.add_room(owner, project, {"name": "סלון"})
    services.delete_project(owner, project, "מחק")
    db.session.flush()
    assert db.session.scalar(select(func.count(Project.id))) == 0
    assert db.session.scalar(select(func.count(Room.id))) == 0


def test_rooms_add_edit_reorder(owner):
    project = make_project(owner)
    living = rooms.add_room(
        owner, project, {"name": "סלון", "type_key": "living_room", "area": "32.5"}
    )
    kitchen = rooms.add_room(owner, project, {"name": "מטבח"})
    assert (living.order, kitchen.order, living.design_status) == (1, 2, "not_started")
    with pytest.raises(ValidationFailed):
        rooms.add_room(owner, project, {"name": "x", "area": "-1"})
    changes = rooms.update_room(owner, project, kitchen, {"design_status": "concept"})
    assert changes["design_status"] == {"old": "טרם התחיל", "new": "קונספט"}
    rooms.reorder_rooms(owner, project, [kitchen.id, living.id])
    assert [r.name for r in rooms.rooms_of(project)] == ["מטבח", "סלון"]


def test_another_studio_never_sees_the_project(other_studio, studio):
    with tenant_scope(studio.id):
        project = make_project(membership(studio))
        project_id = project.id
        db.session.commit()
    with tenant_scope(other_studio.id):
        assert services.get_project(membership(other_studio), project_id) is None


def test_a_client_with_projects_cannot_be_deleted(owner):
    from app.contacts import services as contacts

    client = contacts.create_contact(
        owner,
        "client",
        {
            "name": "לקוחה",
            "type": "individual",
            "status": "active",
            "email": "c@example.com",
            "preferred_communication": "phone",
        },
    )
    make_project(owner, client_id=str(client.id))
    contacts.set_archived(owner, [client], True)
    with pytest.raises(ValidationFailed) as error:
        contacts.delete_contact(owner, client)
    assert "פרויקטים" in error.value.messages[0]

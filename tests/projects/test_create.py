"""The create panel of /projects: from scratch (every field, team, labels, custom fields) or from
a template (parts on/off, per-room and per-task overrides); bad input keeps what was typed and
saves nothing; who may create; other studios' templates and people are refused."""

import json

import pytest
from sqlalchemy import func, select

from app.core.tenancy import tenant_scope
from app.extensions import db
from app.labels import services as labels
from app.projects import templates
from app.projects.models import Project, ProjectMember, Room
from app.tasks.models import ChecklistItem, Task
from tests.conftest import login, post_form
from tests.contacts.conftest import make_contact
from tests.factories import add_member
from tests.projects.conftest import EMAILS, HX, make_project, membership

APARTMENT = "עיצוב דירה - סטנדרטי"


def signed_in(make_client, email):
    client = make_client()
    login(client, email)
    return client


@pytest.fixture
def owner_client(make_client, studio):
    return signed_in(make_client, "owner@a.test")


def create(client, data, headers=HX):
    return post_form(client, "/projects/new", data, page="/projects", headers=headers)


def count(studio, model, *where) -> int:
    with tenant_scope(studio.id):
        return db.session.scalar(select(func.count(model.id)).where(*where))


def apartment_id(studio):
    with tenant_scope(studio.id):
        template = next(t for t in templates.templates() if t.name == APARTMENT)
        db.session.commit()
        return template.id


def test_panel_shows_the_form_and_the_next_code(owner_client, studio):
    with tenant_scope(studio.id):
        make_project(membership(studio))
        db.session.commit()
    html = owner_client.get("/projects/new", headers=HX).get_data(as_text=True)
    assert 'id="project-create-form"' in html and "<html" not in html
    assert "PRJ-002" in html and APARTMENT in html and "פרטים נוספים" in html
    page = owner_client.get("/projects/new").get_data(as_text=True)
    assert "<html" in page and 'id="project-create-form"' in page


def test_create_from_scratch_with_details_team_and_labels(owner_client, studio):
    with tenant_scope(studio.id):
        actor = membership(studio)
        client = make_contact(actor, name="משפחת כהן")
        label = labels.create_label(actor, name="יוקרה", color="#123456", entity_types=["project"])
        member_id = membership(studio, "member").user_id
        client_id, label_id = client.id, label.id
        db.session.commit()
    data = {
        "name": "פנטהאוז בתל אביב",
        "client_id": str(client_id),
        "type_key": "apartment",
        "start_date": "2026-04-01",
        "expected_end_date": "2026-10-01",
        "status_key": "active",
        "phase_key": "concept",
        "priority": "high",
        "is_vip": "y",
        "city": "תל אביב",
        "area": "180",
        "budget": "450000",
        "billing_type": "fixed",
        "revisions_included": "3",
        "deliverables": "הדמיות, תוכניות",
        "member_ids": [str(member_id)],
        "label_ids": [str(label_id)],
    }
    response = create(owner_client, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    assert "PRJ-001" in html and "מעבר לפרויקט" in html
    assert (
        "הפרויקט פנטהאוז בתל אביב נוצר"
        in json.loads(response.headers["HX-Trigger"])["toast"]["message"]
    )
    assert response.headers["HX-Trigger-After-Settle"] == "projects-changed"
    with tenant_scope(studio.id):
        project = db.session.scalar(select(Project))
        assert (project.client_id, project.phase_key, project.priority, project.is_vip) == (
            client_id,
            "concept",
            "high",
            True,
        )
        assert str(project.budget) == "450000.00" and project.deliverables == ["הדמיות", "תוכניות"]
        team = set(db.session.scalars(select(ProjectMember.user_id)))
        assert team == {member_id, membership(studio).user_id}
        assert [label.name for label in labels.labels_for("project", [project.id])[project.id]] == [
            "יוקרה"
        ]
        assert f"/projects/{project.id}" in html


def test_create_without_javascript_redirects_to_the_hub(owner_client, studio):
    response = create(owner_client, {"name": "משרד עורכי דין"}, headers={})
    assert response.status_code == 302
    with tenant_scope(studio.id):
        project = db.session.scalar(select(Project))
        assert response.headers["Location"].endswith(f"/projects/{project.id}")
        assert (project.code, project.status_key, project.priority) == (
            "PRJ-001",
            "active",
            "medium",
        )


def test_bad_input_keeps_what_was_typed_and_saves_nothing(owner_client, studio):
    data = {
        "name": "דירה בחולון",
        "start_date": "2026-05-01",
        "expected_end_date": "2026-04-01",
        "area": "-20",
        "budget": "-5",
        "city": "חולון",
    }
    response = create(owner_client, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "תאריך סיום חייב להיות אחרי תאריך התחלה" in html
    assert html.count("הערך המינימלי הוא 0") == 2  # area and budget
    assert 'value="חולון"' in html and 'value="דירה בחולון"' in html
    assert '<details class="disclosure project-form__more" open' in html  # errors inside: open
    assert count(studio, Project) == 0
    response = create(owner_client, {"name": "x"})
    assert response.status_code == 422 and "יש להזין בין 2" in response.get_data(as_text=True)


def test_team_member_from_another_studio_is_refused(owner_client, studio, other_studio):
    stranger = membership(other_studio).user_id
    response = create(owner_client, {"name": "פרויקט חדש", "member_ids": [str(stranger)]})
    assert response.status_code == 422
    assert "אפשר לשבץ רק אנשי צוות פעילים של הסטודיו" in response.get_data(as_text=True)
    assert count(studio, Project) == 0


def test_create_from_the_apartment_template_with_overrides(owner_client, studio):
    template_id = apartment_id(studio)
    with tenant_scope(studio.id):
        member_id = membership(studio, "member").user_id
        manager_id = membership(studio, "manager").user_id
    switched = owner_client.get(
        f"/projects/new?template_id={template_id}&name=דירה+בגבעתיים", headers=HX
    ).get_data(as_text=True)
    assert "מה לקחת מהתבנית" in switched and 'value="דירה בגבעתיים"' in switched
    assert "חדר ילדים 1" in switched and "הכנת לוח השראה" in switched
    data = {
        "template_id": str(template_id),
        "template_shown": str(template_id),
        "name": "דירה בגבעתיים",
        "start_date": "2026-12-01",
        "include_rooms": "1",
        "include_tasks": "1",
        "include_payments": "1",
        "room_name_5": "החדר של נועה",
        "room_name_1": "סלון",
        "exclude_room": ["6"],
        "exclude_task": ["t4"],
        "task_assignee_t1": str(member_id),
        "member_ids": [str(manager_id)],
    }
    response = create(owner_client, data)
    assert response.status_code == 200, response.get_data(as_text=True)
    with tenant_scope(studio.id):
        project = db.session.scalar(select(Project))
        rooms = db.session.scalars(
            select(Room.name).where(Room.project_id == project.id).order_by(Room.order)
        ).all()
        assert rooms == ["סלון", "מטבח", "חדר שינה הורים", "חדר רחצה הורים", "החדר של נועה"]
        tasks = db.session.scalars(
            select(Task).where(Task.project_id == project.id).order_by(Task.order)
        ).all()
        assert len(tasks) == 10 and "הכנת לוח השראה" not in [t.title for t in tasks]
        assert tasks[0].assigned_user_id == member_id
        assert db.session.scalar(select(func.count(ChecklistItem.id))) > 0
        assert project.type_key == "apartment" and len(project.payment_structure) == 4
        assert project.template_id == template_id
        team = set(db.session.scalars(select(ProjectMember.user_id)))
        assert manager_id in team
        template = templates.get_template(template_id)
        assert template.usage_count == 1


def test_template_parts_can_be_turned_off(owner_client, studio):
    template_id = apartment_id(studio)
    data = {
        "template_id": str(template_id),
        "template_shown": str(template_id),
        "name": "רק משימות",
        "start_date": "2026-12-01",
        "include_tasks": "1",
    }
    assert create(owner_client, data).status_code == 200
    with tenant_scope(studio.id):
        project = db.session.scalar(select(Project))
        assert project.payment_structure == []
    assert count(studio, Room) == 0 and count(studio, Task) == 11


def test_template_errors_keep_overrides_and_save_nothing(owner_client, studio, other_studio):
    template_id = apartment_id(studio)
    stranger = membership(other_studio).user_id
    data = {
        "template_id": str(template_id),
        "template_shown": str(template_id),
        "name": "דירה",
        "include_rooms": "1",
        "room_name_2": "מטבח גדול",
        "task_assignee_t2": str(stranger),
    }
    response = create(owner_client, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "לפרויקט מתבנית צריך תאריך התחלה" in html
    assert "אפשר לשבץ רק אנשי צוות פעילים של הסטודיו" in html
    assert 'value="מטבח גדול"' in html
    assert count(studio, Project) == 0 and count(studio, Task) == 0 and count(studio, Room) == 0


def test_another_studios_template_is_not_found(owner_client, studio, other_studio):
    with tenant_scope(other_studio.id):
        foreign = templates.templates()[0].id
        db.session.commit()
    response = create(
        owner_client, {"template_id": str(foreign), "name": "גניבה", "start_date": "2026-01-01"}
    )
    assert response.status_code == 404
    html = owner_client.get(f"/projects/new?template={foreign}", headers=HX).get_data(as_text=True)
    assert "מה לקחת מהתבנית" not in html
    assert count(studio, Project) == 0


def test_use_link_opens_the_panel_with_the_template(owner_client, studio):
    template_id = apartment_id(studio)
    html = owner_client.get(f"/projects?new=1&template={template_id}").get_data(as_text=True)
    assert 'data-open-panel="project-panel"' in html
    assert f"/projects/new?template={template_id}" in html
    panel = owner_client.get(f"/projects/new?template={template_id}", headers=HX).get_data(
        as_text=True
    )
    assert "מה לקחת מהתבנית" in panel and f'value="{template_id}" selected' in panel


@pytest.mark.parametrize("role,allowed", [("owner", True), ("manager", True), ("member", False)])
def test_who_may_create(make_client, studio, role, allowed):
    client = signed_in(make_client, EMAILS[role])
    assert client.get("/projects/new", headers=HX).status_code == (200 if allowed else 403)
    response = create(client, {"name": f"פרויקט של {role}"})
    assert response.status_code == (200 if allowed else 403)
    assert count(studio, Project) == int(allowed)


def test_member_with_all_projects_may_create(make_client, studio):
    add_member(studio, "all@a.test", "member", can_access_all_projects=True)
    client = signed_in(make_client, "all@a.test")
    assert create(client, {"name": "פרויקט של חבר צוות"}).status_code == 200
    html = client.get("/projects/new", headers=HX).get_data(as_text=True)
    assert 'name="budget"' not in html  # no financial flags: no budget or fees


def test_custom_fields_in_more_details(owner_client, studio):
    from app.custom_fields import services as custom_services

    with tenant_scope(studio.id):
        definition = custom_services.create_definition(
            membership(studio),
            "project",
            {"name": "מספר חניות", "field_type": "number", "is_active": True, "is_required": True},
        )
        key = definition.field_key
        db.session.commit()
    html = owner_client.get("/projects/new", headers=HX).get_data(as_text=True)
    assert "מספר חניות" in html
    missing = create(owner_client, {"name": "בלי חניות"})
    assert missing.status_code == 422 and count(studio, Project) == 0
    assert create(owner_client, {"name": "עם חניות", f"cf-{key}": "2"}).status_code == 200
    from app.custom_fields import queries as custom_queries

    with tenant_scope(studio.id):
        project = db.session.scalar(select(Project))
        assert custom_queries.values_for("project", [project.id])[project.id][key] == 2


def test_template_sent_without_its_section_takes_everything(owner_client, studio):
    """Without JavaScript the template can be chosen and sent at once: all parts come along."""
    template_id = apartment_id(studio)
    data = {"template_id": str(template_id), "name": "דירה מהירה", "start_date": "2026-12-01"}
    assert create(owner_client, data, headers={}).status_code == 302
    assert count(studio, Room) == 6 and count(studio, Task) == 11

"""Project numbering and templates: the built-in apartment, offsets, roles, dependencies."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.core.errors import ValidationFailed
from app.extensions import db
from app.projects import services, templates
from app.projects.models import Room
from app.tasks.models import ChecklistItem, Task
from tests.projects.conftest import make_project, membership


def test_codes_number_per_studio_with_a_configurable_prefix(owner, studio):
    first, second = make_project(owner), make_project(owner, name="וילה בכפר שמריהו")
    assert (first.code, second.code) == ("PRJ-001", "PRJ-002")
    services.set_code_prefix(owner, "ors")
    assert make_project(owner, name="משרד הייטק").code == "ORS-003"
    with pytest.raises(ValidationFailed):
        services.set_code_prefix(owner, "12")
    with pytest.raises(ValidationFailed) as error:
        make_project(owner, name="כפול", code="PRJ-001")
    assert "code" in error.value.errors


def test_project_rules(owner):
    with pytest.raises(ValidationFailed) as error:
        make_project(owner, start_date="2026-05-01", expected_end_date="2026-04-01", area="-3")
    assert error.value.errors["expected_end_date"] == ["תאריך סיום חייב להיות אחרי תאריך התחלה"]
    assert "area" in error.value.errors
    project = make_project(owner)
    assert (project.status_key, project.phase_key) == ("active", "consultation")
    services.update_project(owner, project, {"status_key": "closed"})
    with pytest.raises(ValidationFailed) as error:
        services.update_project(owner, project, {"status_key": "on_hold"})
    assert "status_key" in error.value.errors


def test_apartment_template_makes_rooms_tasks_and_payments(owner, studio):
    apartment = next(t for t in templates.templates() if t.name == "עיצוב דירה - סטנדרטי")
    start = date(2026, 12, 1)
    project = templates.create_from_template(
        owner,
        apartment,
        {"name": "דירה בגבעתיים", "start_date": start.isoformat()},
        excluded_rooms=["6"],
        renamed_rooms={"5": "חדר של נועה"},
    )
    rooms = list(
        db.session.scalars(select(Room).where(Room.project_id == project.id).order_by(Room.order))
    )
    assert [r.name for r in rooms] == [
        "סלון",
        "מטבח",
        "חדר שינה הורים",
        "חדר רחצה הורים",
        "חדר של נועה",
    ]
    tasks = list(
        db.session.scalars(select(Task).where(Task.project_id == project.id).order_by(Task.order))
    )
    assert len(tasks) == 11 and tasks[0].title == "פגישת היכרות"
    survey = tasks[1]
    assert survey.start_date == start + timedelta(days=3) and survey.due_date == start + timedelta(
        days=5
    )
    assert survey.depends_on == [str(tasks[0].id)]
    assert tasks[0].assigned_user_id == owner.user_id
    assert tasks[2].assigned_user_id == membership(studio, "member").user_id
    items = db.session.scalars(
        select(ChecklistItem.text).where(ChecklistItem.task_id == tasks[2].id)
    ).all()
    assert items == ["צילום מצב קיים", "מדידות", "נקודות חשמל ומים"]
    assert sum(p["percentage"] for p in project.payment_structure) == 100
    assert apartment.usage_count == 1 and apartment.last_used_at is not None


def test_save_as_template_round_trip(owner):
    apartment = next(
        t for t in templates.templates() if t.is_built_in and t.type_key == "apartment"
    )
    project = templates.create_from_template(
        owner, apartment, {"name": "מקור", "start_date": "2026-12-01"}
    )
    copy = templates.save_as_template(owner, project, "התבנית שלי")
    assert len(copy.rooms) == 6 and len(copy.tasks) == 11
    assert copy.tasks[1]["depends_on"] == ["t1"] and copy.tasks[1]["offset_days"] == 3
    again = templates.create_from_template(
        owner, copy, {"name": "עותק", "start_date": "2027-01-01"}, include_rooms=False
    )
    assert db.session.scalar(select(Room.id).where(Room.project_id == again.id)) is None

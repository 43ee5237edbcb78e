"""Editing a custom template's contents (/projects/templates/<id>/contents): rooms, tasks
(phase, day, duration, role, priority, dependencies, checklist) and the payment structure;
the row buttons that work without JavaScript; every kind of bad input refused with nothing
saved; built-ins read-only and duplicated to edit; who may do it, and two studios."""

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.core.tenancy import tenant_scope
from app.extensions import db
from app.projects import template_editing, templates
from app.projects.models import ProjectTemplate, Room
from app.tasks.models import ChecklistItem, Task
from tests.conftest import login, post_form
from tests.projects.conftest import EMAILS, HX, ROLES, membership

APARTMENT = "עיצוב דירה - סטנדרטי"


def signed_in(make_client, email):
    client = make_client()
    login(client, email)
    return client


def built_in_id(studio, name=APARTMENT):
    with tenant_scope(studio.id):
        template = next(t for t in templates.templates(active_only=False) if t.name == name)
        db.session.commit()
        return template.id


def custom_id(studio, name="התבנית שלנו"):
    """A custom copy of the apartment template (11 tasks in a chain, 6 rooms, 4 payments)."""
    with tenant_scope(studio.id):
        apartment = next(t for t in templates.templates() if t.name == APARTMENT)
        copy = template_editing.duplicate_template(membership(studio), apartment)
        copy.name = name
        db.session.commit()
        return copy.id


def stored(studio, template_id) -> ProjectTemplate:
    with tenant_scope(studio.id):
        template = db.session.get(ProjectTemplate, template_id)
        db.session.expunge(template)
        return template


def as_form(rows: dict, action="save") -> dict:
    """The editor's rows as the form posts them."""
    data = {"action": action}
    for i, room in enumerate(rows["rooms"]):
        data |= {f"rooms-{i}-{k}": v for k, v in room.items()}
    for i, task in enumerate(rows["tasks"]):
        data |= {f"tasks-{i}-{k}": v for k, v in task.items()}
    for i, payment in enumerate(rows["payments"]):
        data |= {f"payments-{i}-{k}": v for k, v in payment.items()}
    return data


SMALL = {
    "rooms": [
        {"name": "מטבח", "type_key": "kitchen"},
        {"name": "סלון גדול", "type_key": "living_room"},
    ],
    "tasks": [
        {
            "id": "t1",
            "title": "מדידות",
            "phase": "concept",
            "offset_days": "2",
            "duration_days": "1",
            "assign_to_role": "member",
            "priority": "high",
            "depends_on": [],
            "checklist": "מצב קיים\n\n  נקודות חשמל  \n",
        },
        {
            "id": "t7",
            "title": "קונספט",
            "phase": "concept",
            "offset_days": "10",
            "duration_days": "4",
            "assign_to_role": "",
            "priority": "low",
            "depends_on": ["t1"],
            "checklist": "",
        },
        {
            "id": "t20",
            "title": "רכש",
            "phase": "procurement",
            "offset_days": "30",
            "duration_days": "0",
            "assign_to_role": "manager",
            "priority": "medium",
            "depends_on": ["t1", "t7"],
            "checklist": "הצעת מחיר",
        },
    ],
    "payments": [
        {"name": "מקדמה", "type": "retainer", "percentage": "33.33", "trigger": "בחתימה"},
        {"name": "אמצע", "type": "milestone", "percentage": "33.33", "trigger": ""},
        {"name": "סוף", "type": "final", "percentage": "33.34", "trigger": "במסירה"},
    ],
}


def edit(client, template_id, rows, action="save", **kwargs):
    url = f"/projects/templates/{template_id}/contents"
    return post_form(client, url, as_form(rows, action), page=url, **kwargs)


def test_editor_shows_the_contents_of_a_custom_template(make_client, studio):
    template_id = custom_id(studio)
    html = signed_in(make_client, EMAILS["owner"]).get(
        f"/projects/templates/{template_id}/contents"
    )
    assert html.status_code == 200
    text = html.get_data(as_text=True)
    assert 'name="rooms-5-name" value="חדר רחצה ילדים"' in text
    assert 'name="tasks-10-id" value="t11"' in text and "נקודות חשמל ומים" in text
    assert 'name="tasks-1-depends_on" value="t1" checked' in text
    assert 'name="payments-0-percentage" value="30"' in text and "100%" in text
    assert 'value="living_room" selected' in text and 'value="consultation" selected' in text


def test_saved_contents_are_what_a_new_project_gets(make_client, studio):
    template_id = custom_id(studio)
    owner = signed_in(make_client, EMAILS["owner"])
    response = edit(owner, template_id, SMALL)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/projects/templates/{template_id}")
    assert "נשמרה" in owner.get(response.headers["Location"]).get_data(as_text=True)
    template = stored(studio, template_id)
    assert template.rooms == [
        {"name": "מטבח", "type_key": "kitchen", "order": 1},
        {"name": "סלון גדול", "type_key": "living_room", "order": 2},
    ]
    assert [t["id"] for t in template.tasks] == ["t1", "t7", "t20"]
    first = template.tasks[0]
    assert (first["offset_days"], first["duration_days"], first["priority"]) == (2, 1, "high")
    assert first["checklist"] == ["מצב קיים", "נקודות חשמל"] and first["phase"] == "concept"
    assert template.tasks[1]["assign_to_role"] is None
    assert template.tasks[2]["depends_on"] == ["t1", "t7"]
    assert [p["percentage"] for p in template.payment_structure] == [33.33, 33.33, 33.34]
    assert template.payment_structure[1]["trigger"] is None

    with tenant_scope(studio.id):
        actor = membership(studio)
        template = db.session.get(ProjectTemplate, template_id)
        project = templates.create_from_template(
            actor, template, {"name": "דירה מהתבנית הערוכה", "start_date": "2026-03-01"}
        )
        rooms = db.session.scalars(
            select(Room).where(Room.project_id == project.id).order_by(Room.order)
        )
        assert [(r.name, r.type_key) for r in rooms] == [
            ("מטבח", "kitchen"),
            ("סלון גדול", "living_room"),
        ]
        tasks = list(
            db.session.scalars(
                select(Task).where(Task.project_id == project.id).order_by(Task.order)
            )
        )
        by_title = {t.title: t for t in tasks}
        assert list(by_title) == ["מדידות", "קונספט", "רכש"]
        start = date(2026, 3, 1)
        measure, concept, buy = by_title["מדידות"], by_title["קונספט"], by_title["רכש"]
        assert (measure.start_date, measure.due_date) == (
            start + timedelta(days=2),
            start + timedelta(days=3),
        )
        assert measure.priority == "high" and concept.priority == "low"
        assert measure.assigned_user_id == membership(studio, "member").user_id
        assert concept.depends_on == [str(measure.id)]
        assert buy.depends_on == [str(measure.id), str(concept.id)]
        items = db.session.scalars(
            select(ChecklistItem.text)
            .where(ChecklistItem.task_id == measure.id)
            .order_by(ChecklistItem.order)
        )
        assert list(items) == ["מצב קיים", "נקודות חשמל"]
        assert [p["percentage"] for p in project.payment_structure] == [33.33, 33.33, 33.34]
        db.session.rollback()


def test_an_empty_template_is_fine(make_client, studio):
    template_id = custom_id(studio)
    owner = signed_in(make_client, EMAILS["manager"])
    assert edit(owner, template_id, {"rooms": [], "tasks": [], "payments": []}).status_code == 302
    template = stored(studio, template_id)
    assert (template.rooms, template.tasks, template.payment_structure) == ([], [], [])


def test_row_buttons_add_remove_and_move_without_saving(make_client, studio):
    template_id = custom_id(studio)
    owner = signed_in(make_client, EMAILS["owner"])
    added = edit(owner, template_id, SMALL, action="add-tasks")
    html = added.get_data(as_text=True)
    # The next id is past every id in use (t20), and the new row takes the focus.
    assert added.status_code == 200 and 'name="tasks-3-id" value="t21"' in html
    assert (
        'id="tasks-3-title" name="tasks-3-title" value="" maxlength="500" aria-required="true" autofocus'
        in html
    )
    assert 'name="tasks-3-offset_days" value="30"' in html  # where the last task ends

    removed = edit(owner, template_id, SMALL, action="tasks-remove-0").get_data(as_text=True)
    assert "מדידות" not in removed
    assert 'name="tasks-1-depends_on" value="t7" checked' in removed  # t1 is gone from t20
    assert 'value="t1"' not in removed

    moved = edit(owner, template_id, SMALL, action="rooms-down-0").get_data(as_text=True)
    assert moved.index('value="סלון גדול"') < moved.index('value="מטבח"')
    assert 'id="rooms-1-up" autofocus="True"' in moved  # the keyboard stays on the moved row

    edit(owner, template_id, SMALL, action="add-payments")
    assert len(stored(studio, template_id).tasks) == 11  # nothing saved by row buttons


def test_row_buttons_with_htmx_swap_only_the_form(make_client, studio):
    template_id = custom_id(studio)
    owner = signed_in(make_client, EMAILS["owner"])
    response = edit(owner, template_id, SMALL, action="add-rooms", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith('<form id="template-editor"')
    assert 'name="rooms-2-name" value=""' in html
    saved = edit(owner, template_id, SMALL, headers=HX)
    assert saved.status_code == 200
    assert saved.headers["HX-Redirect"].endswith(f"/projects/templates/{template_id}")
    bad = edit(owner, template_id, SMALL | {"rooms": [{"name": "", "type_key": ""}]}, headers=HX)
    assert bad.status_code == 422 and bad.get_data(as_text=True).lstrip().startswith("<form")


def _with_task(**changes):
    tasks = [dict(t) for t in SMALL["tasks"]]
    tasks[1] |= changes
    return SMALL | {"tasks": tasks}


BAD = [
    ("empty title", _with_task(title="   "), "tasks-1-title", "שדה חובה"),
    ("letters for days", _with_task(offset_days="שבוע"), "tasks-1-offset_days", "יש להזין מספר"),
    ("negative days", _with_task(duration_days="-1"), "tasks-1-duration_days", "המינימלי"),
    ("too many days", _with_task(offset_days="3651"), "tasks-1-offset_days", "המקסימלי"),
    ("half a day", _with_task(duration_days="1.5"), "tasks-1-duration_days", "מספר שלם"),
    ("unknown phase", _with_task(phase="nope"), "tasks-1-phase", "יש לבחור שלב"),
    ("unknown role", _with_task(assign_to_role="boss"), "tasks-1-assign_to_role", "יש לבחור"),
    ("unknown priority", _with_task(priority="urgent"), "tasks-1-priority", "יש לבחור"),
    (
        "long checklist",
        _with_task(checklist="\n".join(f"פריט {n}" for n in range(31))),
        "tasks-1-checklist",
        "עד 30 פריטים",
    ),
    ("long checklist item", _with_task(checklist="א" * 501), "tasks-1-checklist", "עד 500"),
    (
        "dependency cycle",
        SMALL | {"tasks": [SMALL["tasks"][0] | {"depends_on": ["t20"]}, *SMALL["tasks"][1:]]},
        "tasks-0-depends_on",
        "התלויות יוצרות מעגל",
    ),
    (
        "short room name",
        SMALL | {"rooms": [{"name": "א", "type_key": ""}]},
        "rooms-0-name",
        "יש להזין בין 2",
    ),
    (
        "unknown room type",
        SMALL | {"rooms": [{"name": "מחסן", "type_key": "dungeon"}]},
        "rooms-0-type_key",
        "יש לבחור סוג חדר",
    ),
    (
        "percentages under 100",
        SMALL | {"payments": [SMALL["payments"][0], SMALL["payments"][1]]},
        "payments-errors",
        "100% בדיוק (עכשיו 66.66%)",
    ),
    (
        "percentage over 100",
        SMALL | {"payments": [SMALL["payments"][0] | {"percentage": "120"}]},
        "payments-0-percentage",
        "הערך המקסימלי הוא 100",
    ),
    (
        "payment without a name",
        SMALL | {"payments": [SMALL["payments"][0] | {"name": "", "percentage": "100"}]},
        "payments-0-name",
        "שדה חובה",
    ),
    (
        "unknown payment type",
        SMALL | {"payments": [SMALL["payments"][0] | {"type": "bribe", "percentage": "100"}]},
        "payments-0-type",
        "יש לבחור",
    ),
]


@pytest.mark.parametrize("rows,field,message", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_input_is_refused_next_to_its_field_and_nothing_is_saved(
    make_client, studio, rows, field, message
):
    template_id = custom_id(studio)
    owner = signed_in(make_client, EMAILS["owner"])
    response = edit(owner, template_id, rows)
    html = response.get_data(as_text=True)
    assert response.status_code == 422, field
    assert message in html
    if field.endswith("-errors"):
        assert (
            f'id="{field}" tabindex="-1" class="template-editor__section-errors" autofocus' in html
        )
    else:
        assert f'id="{field}-error"' in html
    # What was typed is still there.
    assert 'value="סלון גדול"' in html or 'value="מחסן"' in html or 'value="א"' in html
    assert len(stored(studio, template_id).tasks) == 11


def test_cycle_message_names_the_tasks(make_client, studio):
    rows = SMALL | {"tasks": [SMALL["tasks"][0] | {"depends_on": ["t20"]}, *SMALL["tasks"][1:]]}
    template_id = custom_id(studio)
    html = edit(signed_in(make_client, EMAILS["owner"]), template_id, rows).get_data(as_text=True)
    assert "״מדידות״ תלויה ב״רכש״" in html and "״רכש״ תלויה ב״מדידות״" in html


def test_find_cycle_and_new_ids():
    chain = [{"id": "a", "depends_on": ["b"]}, {"id": "b", "depends_on": ["c"]}, {"id": "c"}]
    assert template_editing.find_cycle(chain) is None
    chain[2]["depends_on"] = ["a"]
    assert template_editing.find_cycle(chain) == ["a", "b", "c", "a"]
    assert template_editing.find_cycle([{"id": "x", "depends_on": ["x"]}]) == ["x", "x"]
    assert template_editing.new_task_id([{"id": "t3"}, {"id": "other"}], taken=["t9"]) == "t10"
    assert template_editing.copy_name("א" * 100).endswith(" (עותק)")
    assert len(template_editing.copy_name("א" * 100)) == 100


def test_keys_the_editor_does_not_show_survive_and_bad_ids_are_replaced(studio, owner):
    template = templates.get_template(custom_id(studio))
    template.tasks = [template.tasks[0] | {"description": "לשמור"}, *template.tasks[1:]]
    db.session.flush()
    rows = template_editing.editor_rows(template)
    rows["tasks"][1]["id"] = "t1"  # a repeated id (a tampered form) gets a fresh one
    template_editing.save_contents(owner, template, rows)
    assert template.tasks[0]["description"] == "לשמור"
    assert template.tasks[1]["id"] == "t12" and "description" not in template.tasks[1]
    db.session.rollback()


def test_built_ins_are_read_only_and_duplicated_to_edit(make_client, studio):
    apartment_id = built_in_id(studio)
    owner = signed_in(make_client, EMAILS["owner"])
    url = f"/projects/templates/{apartment_id}/contents"
    response = owner.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/projects/templates/{apartment_id}")
    detail = owner.get(response.headers["Location"]).get_data(as_text=True)
    assert "שכפלו אותה כדי לערוך" in detail and "שכפול לעריכה" in detail
    assert "עריכת התוכן" not in detail
    assert post_form(owner, url, as_form(SMALL), page=url.rsplit("/", 1)[0]).status_code == 403

    response = post_form(
        owner, f"/projects/templates/{apartment_id}/duplicate", page=url.rsplit("/", 1)[0]
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/contents")
    copy_id = uuid.UUID(response.headers["Location"].split("/")[-2])
    editor = owner.get(response.headers["Location"]).get_data(as_text=True)
    assert "עיצוב דירה - סטנדרטי (עותק)" in editor and "כאן עורכים" in editor
    with tenant_scope(studio.id):
        copy = db.session.get(ProjectTemplate, copy_id)
        apartment = db.session.get(ProjectTemplate, apartment_id)
        assert not copy.is_built_in and copy.usage_count == 0 and copy.is_active
        assert (copy.rooms, copy.tasks, copy.payment_structure) == (
            apartment.rooms,
            apartment.tasks,
            apartment.payment_structure,
        )
        assert copy.type_key == apartment.type_key and copy.defaults == apartment.defaults
    assert edit(owner, copy_id, SMALL).status_code == 302
    assert len(stored(studio, apartment_id).tasks) == 11  # the built-in is untouched
    custom_page = owner.get(f"/projects/templates/{copy_id}").get_data(as_text=True)
    assert "עריכת התוכן" in custom_page and "שכפול" in custom_page


# (method, url, expected status per role: owner, manager, member)
MATRIX = [
    ("get", "/projects/templates/{custom}/contents", (200, 200, 403)),
    ("post", "/projects/templates/{custom}/contents", (302, 302, 403)),
    ("get", "/projects/templates/{built_in}/contents", (302, 302, 403)),
    ("post", "/projects/templates/{built_in}/contents", (403, 403, 403)),
    ("post", "/projects/templates/{built_in}/duplicate", (302, 302, 403)),
    ("post", "/projects/templates/{custom}/duplicate", (302, 302, 403)),
]


@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
def test_role_matrix(make_client, studio, role_index, role):
    ids = {"custom": custom_id(studio), "built_in": built_in_id(studio)}
    client = signed_in(make_client, EMAILS[role])
    for method, pattern, statuses in MATRIX:
        url = pattern.format(**ids)
        if method == "get":
            status = client.get(url).status_code
        else:
            status = post_form(client, url, as_form(SMALL), page="/projects/templates").status_code
        assert status == statuses[role_index], (role, method, url, status)
    member_view = client.get(f"/projects/templates/{ids['custom']}").get_data(as_text=True)
    assert ("עריכת התוכן" in member_view) is (role != "member")


def test_another_studios_template_is_not_found(make_client, other_studio, studio):
    template_id = custom_id(studio)
    apartment_id = built_in_id(studio)
    stranger = signed_in(make_client, "owner@b.test")
    assert stranger.get(f"/projects/templates/{template_id}/contents").status_code == 404
    for url in (
        f"/projects/templates/{template_id}/contents",
        f"/projects/templates/{template_id}/duplicate",
        f"/projects/templates/{apartment_id}/duplicate",
    ):
        response = post_form(stranger, url, as_form(SMALL), page="/projects/templates")
        assert response.status_code == 404, url
    assert len(stored(studio, template_id).tasks) == 11
    with tenant_scope(studio.id):
        assert (
            db.session.scalar(select(ProjectTemplate).where(ProjectTemplate.name.like("%(עותק)%")))
            is None
        )

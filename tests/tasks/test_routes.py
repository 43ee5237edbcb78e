"""/tasks pages and fragments, actions, the hub panel: roles, two studios, HTMX fragments,
deleted meanwhile, undo, and constant query counts."""

import json
import re

import pytest
from sqlalchemy import func, select

from app.core.tenancy import tenant_scope
from app.extensions import db
from app.tasks import checklist, services
from app.tasks.models import ChecklistItem, Task
from tests.conftest import post_form
from tests.tasks.conftest import HX, ROLES, make_project, make_task, membership, signed_in


def text(response):
    return response.get_data(as_text=True)


def post(client, url, data=None, htmx=True):
    return post_form(client, url, data or {}, page="/tasks", headers=HX if htmx else {})


def trigger(response) -> dict:
    return json.loads(response.headers.get("HX-Trigger") or "{}")


# ---- pages and roles --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_view_renders_for_every_role(clients, seeded, role):
    client = clients[role]
    for url in (
        "/tasks",
        "/tasks?view=list",
        "/tasks?view=board",
        "/tasks?view=list&group=assignee",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "משימות" in text(response)
    assert client.get("/tasks?view=gantt").status_code == 404
    # Filters without a view (the dashboard's links) open the list.
    assert 'id="tasks-list"' in text(client.get("/tasks?due=today&assignee=me"))


def test_role_matrix_for_task_pages(clients, seeded):
    expected = {
        "owner": {
            "in_mine": 200,
            "in_theirs": 200,
            "general_other": 200,
            "general_for_member": 200,
        },
        "manager": {
            "in_mine": 200,
            "in_theirs": 200,
            "general_other": 200,
            "general_for_member": 200,
        },
        "member": {
            "in_mine": 200,
            "in_theirs": 404,
            "general_other": 404,
            "general_for_member": 200,
        },
    }
    for role, cases in expected.items():
        for name, status in cases.items():
            response = clients[role].get(f"/tasks/{seeded[name]}")
            assert response.status_code == status, (role, name)
    member_list = text(clients["member"].get("/tasks?view=list"))
    assert "מדידות בדירה" in member_list and "בחירת אריחים בווילה" not in member_list
    assert "ישיבת צוות שבועית" not in member_list and "להזמין כרטיסי ביקור" in member_list
    # The hub panel: only for a project the member sees.
    assert (
        clients["member"].get(f"/tasks/project/{seeded['project_mine']}/panel").status_code == 200
    )
    assert (
        clients["member"].get(f"/tasks/project/{seeded['project_theirs']}/panel").status_code == 404
    )
    # A member cannot act on a task they cannot see.
    response = post(clients["member"], f"/tasks/{seeded['in_theirs']}/done", {"done": "1"})
    assert response.status_code == 404


def test_other_studio_gets_404_everywhere(other_studio, make_client, studio, seeded):
    stranger = signed_in(make_client, "owner@b.test")
    task_id, project_id = seeded["in_mine"], seeded["project_mine"]
    for url in (
        f"/tasks/{task_id}",
        f"/tasks/{task_id}/cell/title?edit=1",
        f"/tasks/project/{project_id}/panel",
    ):
        assert stranger.get(url).status_code == 404, url
    for url, data in (
        (f"/tasks/{task_id}", {"title": "נפרץ"}),
        (f"/tasks/{task_id}/cell/title", {"value": "נפרץ"}),
        (f"/tasks/{task_id}/done", {"done": "1"}),
        (f"/tasks/{task_id}/move", {"status": "done"}),
        (f"/tasks/{task_id}/delete", {}),
        (f"/tasks/{task_id}/checklist", {"text": "x"}),
        (f"/tasks/{task_id}/reminders", {"type": "email", "before_minutes": "60"}),
        (f"/tasks/project/{project_id}/templates", {"template_id": "x"}),
    ):
        assert post(stranger, url, data).status_code == 404, url
    # Bulk and reorder ignore ids they cannot see.
    assert (
        post(
            stranger, "/tasks/bulk?view=list", {"ids": str(task_id), "action": "delete"}
        ).status_code
        == 422
    )
    post(stranger, "/tasks/reorder?view=list", {"order": str(task_id)})
    assert text(stranger.get("/tasks?view=list")).count("task-row-") == 0
    with tenant_scope(studio.id):
        assert db.session.get(Task, task_id).title == "מדידות בדירה"


def test_htmx_fragments_have_one_root(clients, seeded):
    client = clients["owner"]
    for url, target in (
        ("/tasks", "tasks-mine"),
        ("/tasks?view=list", "tasks-list"),
        ("/tasks?view=board", "tasks-board"),
    ):
        html = text(client.get(url, headers=HX | {"HX-Target": target})).lstrip()
        assert html.startswith(f'<div id="{target}"') and "<html" not in html
    panel = text(client.get(f"/tasks/project/{seeded['project_mine']}/panel", headers=HX)).lstrip()
    assert panel.startswith('<section id="panel-tasks"')
    assert f'data-realtime-topic="project:{seeded["project_mine"]}"' in panel
    assert 'hx-trigger="realtime' in panel
    detail = text(client.get(f"/tasks/{seeded['in_mine']}", headers=HX)).lstrip()
    assert detail.startswith('<div id="task-detail"')


# ---- quick add ----------------------------------------------------------------------------------


def test_quick_add_from_the_page_and_the_panel(clients, studio, seeded):
    client = clients["owner"]
    response = post(client, "/tasks/quick-add", {"line": "להתקשר לספק מחר @manager !דחוף"})
    assert response.status_code == 200
    assert trigger(response)["tasks-changed"] is True
    assert "נוספה" in trigger(response)["toast"]["message"]
    with tenant_scope(studio.id):
        task = db.session.scalar(select(Task).where(Task.title == "להתקשר לספק"))
        assert task.priority == "urgent" and task.due_date is not None and task.project_id is None
    project_id = seeded["project_mine"]
    response = post(
        client,
        "/tasks/quick-add",
        {"line": "לבדוק @nobody", "project_id": str(project_id), "fixed_project": "1"},
    )
    assert trigger(response)["toast"]["level"] == "warning" and "@nobody" in text(response)
    with tenant_scope(studio.id):
        assert (
            db.session.scalar(select(Task.project_id).where(Task.title == "לבדוק @nobody"))
            == project_id
        )
    response = post(client, "/tasks/quick-add", {"line": "  מחר "})
    assert "כתבו מה צריך לעשות" in text(response) and "HX-Trigger" not in response.headers
    # Without JavaScript: back to the page with a flash.
    response = post(client, "/tasks/quick-add", {"line": "בלי ג'אווהסקריפט"}, htmx=False)
    assert response.status_code == 302


# ---- inline edit ----------------------------------------------------------------------------------


def test_inline_edit_cells(clients, studio, seeded):
    client = clients["owner"]
    task_id = seeded["general_other"]
    editor = text(client.get(f"/tasks/{task_id}/cell/priority?edit=1", headers=HX))
    assert "data-inline-editor" in editor and "דחופה" in editor
    response = post(client, f"/tasks/{task_id}/cell/priority", {"value": "urgent"})
    assert response.status_code == 200 and "נשמר" in text(response)
    assert trigger(response)["tasks-changed"] is True
    response = post(client, f"/tasks/{task_id}/cell/title", {"value": "ישיבת צוות חודשית"})
    assert "ישיבת צוות חודשית" in text(response)
    response = post(client, f"/tasks/{task_id}/cell/title", {"value": "  "})
    assert response.status_code == 422 and "שדה חובה" in text(response)
    assert "ישיבת צוות חודשית" in text(response)  # the stored value is back in the editor
    # A refused transition: todo → review is not allowed by default.
    editor = text(client.get(f"/tasks/{task_id}/cell/status_key?edit=1", headers=HX))
    assert 'value="review"' not in editor and 'value="in_progress"' in editor
    response = post(client, f"/tasks/{task_id}/cell/status_key", {"value": "review"})
    assert response.status_code == 422 and "אי אפשר לעבור" in text(response)
    with tenant_scope(studio.id):
        outsider = membership(studio, "member")
    response = post(
        client,
        f"/tasks/{seeded['in_theirs']}/cell/assigned_user_id",
        {"value": str(outsider.user_id)},
    )
    assert response.status_code == 422 and "לא בצוות הפרויקט" in text(response)
    assert client.get(f"/tasks/{task_id}/cell/description?edit=1").status_code == 404


# ---- deleted meanwhile, delete and undo -----------------------------------------------------------


def test_editing_a_task_someone_deleted_meanwhile_says_so(clients, studio, seeded):
    task_id = seeded["general_other"]
    with tenant_scope(studio.id):
        db.session.delete(db.session.get(Task, task_id))
        db.session.commit()
    client = clients["owner"]
    for url, data in (
        (f"/tasks/{task_id}/cell/title", {"value": "x"}),
        (f"/tasks/{task_id}", {"title": "x"}),
        (f"/tasks/{task_id}/done", {"done": "1"}),
        (f"/tasks/{task_id}/checklist", {"text": "x"}),
    ):
        response = post(client, url, data)
        assert response.status_code == 404, url
        assert "מישהו אחר מחק אותה בינתיים" in text(response)
        assert trigger(response)["toast"]["level"] == "warning"
        assert trigger(response)["tasks-changed"] is True
    page = client.get(f"/tasks/{task_id}")
    assert page.status_code == 404 and "מחק אותה בינתיים" in text(page)


def test_delete_with_undo(clients, studio, seeded):
    client = clients["owner"]
    task_id = seeded["in_mine"]
    with tenant_scope(studio.id):
        checklist.add_item(membership(studio), db.session.get(Task, task_id), "פריט")
        db.session.commit()
    response = post(client, f"/tasks/{task_id}/delete")
    assert response.status_code == 200 and "data-task-deleted" in text(response)
    undo = trigger(response)["toast"]["undo"]
    with tenant_scope(studio.id):
        assert db.session.get(Task, task_id) is None
    # Someone else cannot use the token.
    assert (
        "מאוחר מדי"
        in trigger(post(clients["manager"], undo["url"], {"token": undo["token"]}))["toast"][
            "message"
        ]
    )
    response = post(client, undo["url"], {"token": undo["token"]})
    assert "בוטלה" in trigger(response)["toast"]["message"]
    with tenant_scope(studio.id):
        db.session.expire_all()
        assert db.session.get(Task, task_id).title == "מדידות בדירה"
        assert db.session.scalar(select(func.count(ChecklistItem.id))) == 1
    assert (
        "מאוחר מדי" in trigger(post(client, undo["url"], {"token": "forged"}))["toast"]["message"]
    )
    # A member may delete only what they created.
    response = post(clients["member"], f"/tasks/{seeded['general_for_member']}/delete")
    assert trigger(response)["toast"]["level"] == "error"
    assert (
        post(clients["member"], f"/tasks/{seeded['general_by_member']}/delete").status_code == 200
    )


# ---- tick, board moves, reorder, bulk --------------------------------------------------------------


def test_tick_and_untick_answer_with_the_view(clients, studio, seeded):
    client = clients["owner"]
    task_id = seeded["general_other"]
    response = post(client, f"/tasks/{task_id}/done?view=list", {"done": "1"})
    assert (
        text(response).lstrip().startswith('<div id="tasks-list"')
        and "הושלמה" in trigger(response)["toast"]["message"]
    )
    with tenant_scope(studio.id):
        assert db.session.get(Task, task_id).is_done
    response = post(
        client,
        f"/tasks/{task_id}/done?view=panel&project_id={seeded['project_mine']}",
        {"done": "0"},
    )
    assert text(response).lstrip().startswith('<section id="panel-tasks"')
    response = post(client, f"/tasks/{task_id}/done?view=mine", {"done": "1"}, htmx=False)
    assert response.status_code == 302 and "view=mine" in response.headers["Location"]


def test_board_move_and_refused_move(clients, studio, seeded):
    client = clients["owner"]
    a, b = seeded["general_other"], seeded["general_for_member"]
    response = post(
        client, f"/tasks/{a}/move?view=board", {"status": "in_progress", "order": [str(a)]}
    )
    assert response.status_code == 200 and text(response).lstrip().startswith(
        '<div id="tasks-board"'
    )
    assert "הועברה" in trigger(response)["toast"]["message"]
    # todo → review is refused: 422 with the board as stored and the reason.
    response = post(client, f"/tasks/{b}/move?view=board", {"status": "review", "order": [str(b)]})
    assert response.status_code == 422 and "אי אפשר לעבור" in trigger(response)["toast"]["message"]
    with tenant_scope(studio.id):
        assert db.session.get(Task, b).status_key == "todo"
        assert db.session.get(Task, a).status_key == "in_progress"
    # Reorder within a column, and the up/down buttons.
    post(
        client,
        f"/tasks/{b}/move?view=board",
        {"status": "todo", "order": [str(b), str(seeded["general_by_member"])]},
    )
    response = post(client, f"/tasks/{b}/step?view=board", {"direction": "down"})
    assert response.status_code == 200


def test_panel_reorder_bulk_and_templates(clients, studio, seeded):
    client = clients["owner"]
    project_id = seeded["project_mine"]
    with tenant_scope(studio.id):
        owner_m = membership(studio)
        project = db.session.get(services.Project, project_id)
        extra = [make_task(owner_m, project, title=f"עוד {i}").id for i in range(2)]
        db.session.commit()
    panel = f"view=panel&project_id={project_id}"
    ids = [str(i) for i in (extra[1], extra[0], seeded["in_mine"])]
    response = post(client, f"/tasks/reorder?{panel}", {"order": ids})
    assert response.status_code == 200
    html = text(response)
    assert html.index("עוד 1") < html.index("עוד 0") < html.index("מדידות בדירה")
    response = post(client, f"/tasks/bulk?{panel}", {"ids": ids, "action": "done"})
    assert "3 משימות סומנו כהושלמו" in trigger(response)["toast"]["message"]
    undo = trigger(response)["toast"]["undo"]
    post(client, undo["url"], {"token": undo["token"]})
    with tenant_scope(studio.id):
        db.session.expire_all()
        assert not any(db.session.get(Task, i).is_done for i in extra)
    response = post(client, f"/tasks/bulk?{panel}", {"ids": ids, "action": "delete"})
    assert "3 משימות נמחקו" in trigger(response)["toast"]["message"]
    templates = re.findall(
        r'<option value="([0-9a-f-]{36})">צ\'קליסט מסירת פרויקט',
        text(client.get(f"/tasks/project/{project_id}/panel")).replace("&#39;", "'"),
    )
    assert templates
    response = post(
        client,
        f"/tasks/project/{project_id}/templates?{panel}",
        {"template_id": templates[0], "mode": "checklist"},
    )
    assert response.status_code == 200 and "מסירת פרויקט" in text(response)
    response = post(client, f"/tasks/project/{project_id}/templates", {"template_id": "nope"})
    assert response.status_code == 422


# ---- the side panel: form, checklist, reminders -----------------------------------------------------


def test_detail_form_checklist_and_reminders(clients, studio, seeded):
    client = clients["owner"]
    task_id = seeded["in_mine"]
    response = post(
        client, f"/tasks/{task_id}", {"title": "", "status_key": "todo", "priority": "high"}
    )
    assert response.status_code == 422 and "שום דבר לא נשמר" in text(response)
    response = post(
        client,
        f"/tasks/{task_id}",
        {
            "title": "מדידות סופיות",
            "status_key": "in_progress",
            "priority": "high",
            "due_date": "2026-06-01",
            "due_time": "09:30",
            "estimated_hours": "3",
            "project_id": str(seeded["project_mine"]),
        },
    )
    assert response.status_code == 200 and "השינויים נשמרו" in trigger(response)["toast"]["message"]
    with tenant_scope(studio.id):
        task = db.session.get(Task, task_id)
        assert (task.title, task.status_key, task.estimated_hours) == (
            "מדידות סופיות",
            "in_progress",
            3,
        )
    html = text(post(client, f"/tasks/{task_id}/checklist", {"text": "מטבח"}))
    assert html.lstrip().startswith(f'<section id="task-checklist-{task_id}"') and "מטבח" in html
    with tenant_scope(studio.id):
        item = db.session.scalar(select(ChecklistItem).where(ChecklistItem.task_id == task_id))
    html = text(post(client, f"/tasks/{task_id}/checklist/{item.id}/toggle", {"done": "1"}))
    assert "100%" in html
    post(client, f"/tasks/{task_id}/checklist", {"text": "סלון"})
    html = text(
        post(
            client,
            f"/tasks/{task_id}/checklist/order",
            {"move_id": str(item.id), "direction": "down"},
        )
    )
    assert html.index("סלון") < html.index("מטבח")
    response = post(client, f"/tasks/{task_id}/checklist", {"text": " "})
    assert response.status_code == 422 and "יש לכתוב את הפריט" in text(response)
    post(client, f"/tasks/{task_id}/checklist/{item.id}/edit", {"text": "מטבח ומזווה"})
    html = text(post(client, f"/tasks/{task_id}/checklist/{item.id}/delete"))
    assert "מטבח ומזווה" not in html and "סלון" in html
    html = text(
        post(client, f"/tasks/{task_id}/reminders", {"type": "email", "before_minutes": "1440"})
    )
    assert "יום לפני" in html
    response = post(
        client, f"/tasks/{task_id}/reminders", {"type": "email", "before_minutes": "1440"}
    )
    assert response.status_code == 422 and "כבר קיימת" in text(response)
    html = text(post(client, f"/tasks/{task_id}/reminders/0/delete"))
    assert "יום לפני</span>" not in html


def test_detail_shows_dependencies_and_links(clients, studio, seeded):
    with tenant_scope(studio.id):
        first = db.session.get(Task, seeded["in_mine"])
        second = make_task(
            membership(studio),
            db.session.get(services.Project, seeded["project_mine"]),
            title="שלב ב",
        )
        second.depends_on = [str(first.id), "00000000-0000-0000-0000-000000000000"]
        db.session.commit()
        second_id = second.id
    html = text(clients["owner"].get(f"/tasks/{second_id}", headers=HX))
    assert "תלויה במשימות" in html and "מדידות בדירה" in html


# ---- query counts ----------------------------------------------------------------------------------


def test_board_and_panel_query_counts_do_not_grow(clients, studio, count_queries):
    client = clients["owner"]
    with tenant_scope(studio.id):
        owner_m = membership(studio)
        project = make_project(owner_m)
        project_id = project.id
        db.session.commit()

    def add(n):
        with tenant_scope(studio.id):
            owner_m = membership(studio)
            project = db.session.get(services.Project, project_id)
            for i in range(n):
                task = make_task(
                    owner_m,
                    project,
                    title=f"משימה {i}",
                    assigned_user_id=str(owner_m.user_id),
                    due_date="2026-06-01",
                    priority=("low", "high", "urgent")[i % 3],
                )
                checklist.add_item(owner_m, task, "פריט")
                if i % 4 == 0:
                    services.set_status(owner_m, task, "in_progress")
            db.session.commit()

    urls = (
        "/tasks?view=board",
        f"/tasks/project/{project_id}/panel",
        "/tasks?view=list",
        "/tasks",
    )

    def measure():
        counts = []
        for url in urls:
            client.get(url)  # warm up (session, configuration)
            with count_queries() as q:
                assert client.get(url, headers=HX | {"HX-Target": "x"}).status_code == 200
            # The sign-in's own bookkeeping (a periodic session touch) is not the page's.
            counts.append(sum("auth_sessions" not in st for st in q.statements))
        return counts

    add(5)
    few = measure()
    add(45)
    assert measure() == few

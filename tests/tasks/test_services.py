"""Task services: validation, transitions (incl. refused ones), done / completed_at, order,
checklist progress, reminders, task templates, delete and undo, bulk actions, activity and
realtime."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.activity.models import ActivityLog
from app.configuration import services as config
from app.core.errors import PermissionDenied, ValidationFailed
from app.core.tenancy import tenant_scope
from app.extensions import db
from app.tasks import bulk, checklist, ordering, reminders, services, task_templates
from app.tasks.models import ChecklistItem, Task, TaskTemplate
from tests.factories import add_member
from tests.tasks.conftest import make_project, make_task, membership


def test_create_cleans_and_validates(owner):
    task = make_task(owner, title="  להזמין   ספה  ", due_date="31/12/2026", estimated_hours="4")
    assert task.title == "להזמין   ספה"  # text keeps inner spaces, strips the ends
    assert (task.status_key, task.priority, task.is_done) == ("todo", "medium", False)
    assert task.due_date == date(2026, 12, 31) and task.estimated_hours == 4
    assert task.created_by_user_id == owner.user_id and task.project_id is None
    with pytest.raises(ValidationFailed) as error:
        make_task(
            owner,
            title=" ",
            description="x" * 5001,
            estimated_hours="1001",
            priority="asap",
            due_date="2026-02-31",
        )
    errors = error.value.errors
    assert errors["title"] == ["שדה חובה."]
    assert set(errors) >= {"description", "estimated_hours", "priority", "due_date"}
    with pytest.raises(ValidationFailed) as error:
        make_task(owner, title="x" * 501)
    assert "title" in error.value.errors
    with pytest.raises(ValidationFailed) as error:
        make_task(owner, start_date="2026-05-10", due_date="2026-05-01")
    assert error.value.errors["due_date"] == ["תאריך היעד לא יכול להיות לפני תאריך ההתחלה."]
    with pytest.raises(ValidationFailed) as error:
        make_task(owner, due_time="14:30")
    assert "due_time" in error.value.errors
    with pytest.raises(ValidationFailed) as error:
        make_task(owner, due_date="2026-05-01", due_time="25:00")
    assert "due_time" in error.value.errors
    assert db.session.scalar(select(func.count(Task.id))) == 1


def test_assignee_must_be_an_active_member_who_sees_the_project(other_studio, owner, studio):
    with tenant_scope(other_studio.id):
        stranger_id = membership(other_studio, "owner").user_id
    with pytest.raises(ValidationFailed) as error:
        make_task(owner, assigned_user_id=str(stranger_id))
    assert error.value.errors["assigned_user_id"] == [
        "אפשר להקצות משימה רק לאנשי צוות פעילים של הסטודיו."
    ]
    member = membership(studio, "member")
    project = make_project(owner)
    with pytest.raises(ValidationFailed) as error:
        make_task(owner, project, assigned_user_id=str(member.user_id))
    assert "לא בצוות הפרויקט" in error.value.errors["assigned_user_id"][0]
    # A general task may go to anyone active; a manager sees every project.
    assert make_task(owner, assigned_user_id=str(member.user_id)).assigned_user_id == member.user_id
    manager = membership(studio, "manager")
    task = make_task(owner, project, assigned_user_id=str(manager.user_id))
    assert task.assigned_user_id == manager.user_id
    member.is_active = False
    db.session.flush()
    with pytest.raises(ValidationFailed):
        make_task(owner, assigned_user_id=str(member.user_id))


def test_project_must_be_visible_to_the_actor(owner, studio):
    project = make_project(owner)
    member = membership(studio, "member")
    with pytest.raises(ValidationFailed) as error:
        make_task(member, project)
    assert "project_id" in error.value.errors
    with pytest.raises(ValidationFailed):
        services.create_task(owner, {"title": "x", "project_id": "not-a-uuid"})
    task = services.create_task(owner, {"title": "x", "project_id": str(project.id)})
    assert task.project_id == project.id


def test_status_transitions_done_and_completed_at(owner):
    task = make_task(owner)
    services.set_status(owner, task, "in_progress")
    assert (task.status_key, task.is_done, task.completed_at) == ("in_progress", False, None)
    services.set_status(owner, task, "done")
    assert task.is_done and task.completed_at is not None
    # "done" may only go back to "in_progress" (the default configuration).
    with pytest.raises(ValidationFailed) as error:
        services.set_status(owner, task, "todo")
    assert 'אי אפשר לעבור מ"הושלם" ל"לעשות"' in error.value.errors["status_key"][0]
    assert task.status_key == "done"
    services.set_status(owner, task, "in_progress")
    assert not task.is_done and task.completed_at is None
    with pytest.raises(ValidationFailed):
        services.set_status(owner, task, "no-such-status")
    # "review" may not go back to "todo".
    services.set_status(owner, task, "review")
    with pytest.raises(ValidationFailed):
        services.update_field(owner, task, "status_key", "todo")


def test_tick_follows_the_transitions(owner):
    task = make_task(owner)
    services.set_done(owner, task, True)
    assert task.status_key == "done" and task.is_done
    services.set_done(owner, task, False)
    assert task.status_key == "in_progress" and not task.is_done
    # A studio that forbids finishing straight from "todo": the tick says why.
    todo = config.get_by_key("task_status", "todo")
    todo.allowed_transitions = ["in_progress"]
    db.session.flush()
    other = make_task(owner, title="עוד משימה")
    with pytest.raises(ValidationFailed) as error:
        services.set_done(owner, other, True)
    assert "status_key" in error.value.errors
    # Created straight in a final status: done at once.
    finished = make_task(owner, title="כבר נעשה", status_key="done")
    assert finished.is_done and finished.completed_at is not None


def test_update_records_readable_activity_and_publishes(owner, studio, monkeypatch):
    published = []
    monkeypatch.setattr(services, "publish", lambda topic, event, **kw: published.append(topic))
    announced = []
    monkeypatch.setattr(
        services.projects, "announce", lambda project, event="", **kw: announced.append(kw)
    )
    project = make_project(owner)
    task = make_task(owner, project)
    manager = membership(studio, "manager")
    changes = services.update_task(
        owner,
        task,
        {"priority": "urgent", "assigned_user_id": str(manager.user_id), "due_date": "2026-07-01"},
    )
    assert changes["priority"] == {"old": "בינונית", "new": "דחופה"}
    assert changes["assigned_user_id"]["new"] == "דנה כהן"
    assert changes["due_date"]["new"] == "01/07/2026"
    entries = db.session.scalars(
        select(ActivityLog)
        .where(ActivityLog.entity_id == str(task.id))
        .order_by(ActivityLog.timestamp)
    ).all()
    assert [e.action for e in entries] == ["created", "updated"]
    assert all(e.project_id == project.id for e in entries)
    assert (
        "tasks" in published
        and {"panel": "tasks", "entity_type": "task"}.items() <= announced[-1].items()
    )
    assert services.update_task(owner, task, {"priority": "urgent"}) == {}
    with pytest.raises(ValidationFailed):
        services.update_task(owner, task, {"tenant_id": "x"})


def test_moving_a_task_to_another_project_drops_its_dependencies(owner):
    first, second = make_project(owner), make_project(owner, name="משרד")
    a = make_task(owner, first)
    b = make_task(owner, first, title="אחרי")
    b.depends_on = [str(a.id)]
    db.session.flush()
    services.update_task(owner, b, {"project_id": str(second.id)})
    assert b.project_id == second.id and b.depends_on == []
    services.update_task(owner, b, {"project_id": ""})
    assert b.project_id is None


def test_reorder_and_step(owner):
    project = make_project(owner)
    tasks = [make_task(owner, project, title=f"משימה {i}") for i in range(3)]
    assert [t.order for t in tasks] == [1, 2, 3]
    ordering.reorder(owner, [str(tasks[2].id), str(tasks[0].id), "junk", str(tasks[1].id)])
    assert [t.order for t in tasks] == [2, 3, 1]
    ordering.step(owner, tasks[2], "down")
    assert tasks[0].order < tasks[2].order
    assert ordering.step(owner, tasks[1], "down") is False  # already last
    assert ordering.step(owner, tasks[1], "up") is True
    assert tasks[1].order < tasks[2].order


def test_checklist_progress(owner):
    task = make_task(owner)
    items = [checklist.add_item(owner, task, text) for text in ("מדידות", "צילום", "שרטוט")]
    assert checklist.progress(checklist.items_of(task)) == 0
    checklist.set_item_done(owner, task, items[0], True)
    assert items[0].completed_at is not None
    assert checklist.progress(checklist.items_of(task)) == 33
    checklist.edit_item(owner, task, items[1], "  צילום   מצב קיים ")
    assert items[1].text == "צילום מצב קיים"
    checklist.move_item(owner, task, items[2], "up")
    assert [i.text for i in checklist.items_of(task)] == ["מדידות", "שרטוט", "צילום מצב קיים"]
    checklist.delete_item(owner, task, items[2])
    assert checklist.progress(checklist.items_of(task)) == 50
    with pytest.raises(ValidationFailed):
        checklist.add_item(owner, task, "   ")
    with pytest.raises(ValidationFailed):
        checklist.add_item(owner, task, "x" * 501)
    assert checklist.progress([]) == 0


def test_reminders(owner):
    task = make_task(owner, due_date="2026-06-01")
    reminders.add_reminder(owner, task, "email", "1440")
    reminders.add_reminder(owner, task, "notification", "60")
    assert task.reminders == [
        {"type": "notification", "before_minutes": 60},
        {"type": "email", "before_minutes": 1440},
    ]
    with pytest.raises(ValidationFailed):
        reminders.add_reminder(owner, task, "email", "1440")  # the same one twice
    with pytest.raises(ValidationFailed):
        reminders.add_reminder(owner, task, "pigeon", "17")
    reminders.remove_reminder(owner, task, 0)
    assert len(task.reminders) == 1
    with pytest.raises(ValidationFailed):
        reminders.remove_reminder(owner, task, 5)


def test_built_in_task_templates_and_applying_them(owner, studio):
    templates = task_templates.templates()
    names = {t.name for t in templates}
    assert names == {"צ'קליסט ביקור אתר", "צ'קליסט מסירת פרויקט", "צ'קליסט הזמנת רכש"}
    task_templates.ensure_built_ins()  # only once
    assert db.session.scalar(select(func.count(TaskTemplate.id))) == 3
    site = next(t for t in templates if t.name == "צ'קליסט ביקור אתר")
    assert [t["title"] for t in site.tasks][-1] == "שיחה עם קבלן/דייר"
    project = make_project(owner)
    (task,) = task_templates.apply_template(owner, site, project)
    assert task.title == "ביקור אתר" and task.project_id == project.id
    items = db.session.scalars(
        select(ChecklistItem.text)
        .where(ChecklistItem.task_id == task.id)
        .order_by(ChecklistItem.order)
    ).all()
    assert items[:2] == ["צילום מצב קיים", "מדידות"] and len(items) == 6
    purchase = next(t for t in templates if t.name == "צ'קליסט הזמנת רכש")
    manager = membership(studio, "manager")
    created = task_templates.apply_template(
        owner, purchase, project, mode="tasks", assignee=str(manager.user_id)
    )
    assert [t.title for t in created] == [
        "אישור מחיר מספק",
        "אישור לקוח",
        "שליחת הזמנה",
        "קבלת אישור הזמנה",
        "מעקב זמן אספקה",
    ]
    assert {t.assigned_user_id for t in created} == {manager.user_id}
    assert (site.usage_count, purchase.usage_count) == (1, 1)
    # Day offsets count from the studio's today.
    custom = TaskTemplate(
        name="מעקב", tasks=[{"title": "בדיקה", "offset_days": 3, "order": 1}], is_active=True
    )
    db.session.add(custom)
    db.session.flush()
    (later,) = task_templates.apply_template(owner, custom, project, mode="tasks")
    from app.tasks.queries import studio_today

    assert later.due_date == studio_today(owner) + timedelta(days=3)
    purchase.is_active = False
    with pytest.raises(ValidationFailed):
        task_templates.apply_template(owner, purchase, project)
    with pytest.raises(ValidationFailed):
        task_templates.apply_template(owner, site, project, mode="everything")


def test_delete_and_undo_bring_back_the_same_task(owner):
    project = make_project(owner)
    task = make_task(owner, project, title="לבחור ברזים", due_date="2026-08-01", priority="high")
    checklist.add_item(owner, task, "מטבח")
    task.reminders = [{"type": "email", "before_minutes": 60}]
    db.session.flush()
    task_id = task.id
    payload = bulk.delete_tasks(owner, [task])
    assert db.session.get(Task, task_id) is None
    assert db.session.scalar(select(func.count(ChecklistItem.id))) == 0
    import json

    payload = json.loads(json.dumps(payload))  # what travels in the undo token
    assert bulk.revert(owner, payload) == 1
    back = db.session.get(Task, task_id)
    assert (back.title, back.priority, back.due_date) == ("לבחור ברזים", "high", date(2026, 8, 1))
    assert back.reminders == [{"type": "email", "before_minutes": 60}]
    assert [i.text for i in checklist.items_of(back)] == ["מטבח"]
    assert bulk.revert(owner, payload) == 0  # a second click changes nothing


def test_only_creators_and_managers_may_delete(owner, studio):
    member = membership(studio, "member")
    theirs = make_task(owner, title="של הבעלים", assigned_user_id=str(member.user_id))
    with pytest.raises(PermissionDenied):
        bulk.delete_tasks(member, [theirs])
    mine = make_task(member, title="שלי")
    bulk.delete_tasks(member, [mine])
    power = add_member(studio, "power@a.test", "member", can_delete_records=True)
    bulk.delete_tasks(power, [theirs])


def test_bulk_actions_and_their_undo(owner, studio):
    manager = membership(studio, "manager")
    tasks = [make_task(owner, title=f"משימה {i}") for i in range(3)]
    services.set_status(owner, tasks[0], "in_progress")
    services.set_status(owner, tasks[0], "review")
    ids = [str(t.id) for t in tasks]
    result = bulk.apply(owner, ids, "done")
    assert result.count == 3 and all(t.is_done for t in tasks)
    assert bulk.revert(owner, result.undo) == 3
    assert [t.status_key for t in tasks] == ["review", "todo", "todo"]
    assert not any(t.is_done for t in tasks)
    result = bulk.apply(owner, ids, "assign", str(manager.user_id))
    assert {t.assigned_user_id for t in tasks} == {manager.user_id}
    bulk.revert(owner, result.undo)
    assert {t.assigned_user_id for t in tasks} == {None}
    bulk.apply(owner, ids, "priority", "urgent")
    assert {t.priority for t in tasks} == {"urgent"}
    with pytest.raises(ValidationFailed):
        bulk.apply(owner, ids, "priority", "asap")
    with pytest.raises(ValidationFailed):
        bulk.apply(owner, [], "done")
    result = bulk.apply(owner, ids, "delete")
    assert result.count == 3 and db.session.scalar(select(func.count(Task.id))) == 0
    assert bulk.revert(owner, result.undo) == 3


def test_bulk_refusal_saves_nothing(owner):
    todo_entry = config.get_by_key("task_status", "todo")
    todo_entry.allowed_transitions = ["in_progress"]
    db.session.flush()
    ok = make_task(owner, title="בעבודה")
    services.set_status(owner, ok, "in_progress")
    stuck = make_task(owner, title="תקועה")
    with pytest.raises(ValidationFailed) as error:
        bulk.apply(owner, [str(ok.id), str(stuck.id)], "done")
    assert "תקועה" in error.value.messages[0]

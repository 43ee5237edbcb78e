"""Deleting tasks and bulk actions, each with its undo payload (app/core/undo.py).

A deleted task is gone from the database; its undo payload holds everything needed to put it
back with the same id (fields and checklist), so links and dependencies work again after an
undo. Bulk "done", "assign" and "priority" remember each task's previous values.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from app.activity.services import record_activity
from app.core.errors import PermissionDenied, ValidationFailed
from app.extensions import db
from app.tasks import permissions, services
from app.tasks.fields import PRIORITY_LABELS
from app.tasks.models import ChecklistItem, Task

MAX_BULK = 500
ACTIONS = ("done", "assign", "priority", "delete")
TASK_COLUMNS = (
    "id",
    "project_id",
    "title",
    "description",
    "status_key",
    "is_done",
    "priority",
    "category_key",
    "assigned_user_id",
    "due_date",
    "due_time",
    "start_date",
    "completed_at",
    "estimated_hours",
    "reminders",
    "linked_entity_type",
    "linked_entity_id",
    "depends_on",
    "order",
    "created_by_user_id",
    "created_at",
)
ITEM_COLUMNS = ("id", "text", "completed", "completed_at", "order")


@dataclass
class BulkResult:
    count: int
    undo: dict | None


def _plain(value):
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def _typed(model, key: str, value):
    """Back from the payload's JSON to the column's Python type."""
    if value is None:
        return None
    if key in ("reminders", "depends_on"):
        return value
    python_type = getattr(model, key).type.python_type
    if python_type is uuid.UUID:
        return uuid.UUID(value)
    if python_type is datetime:
        return datetime.fromisoformat(value)
    if python_type is date:
        return date.fromisoformat(value)
    if python_type is time:
        return time.fromisoformat(value)
    return value


def _snapshot(task: Task, items) -> dict:
    return {
        "task": {key: _plain(getattr(task, key)) for key in TASK_COLUMNS},
        "items": [{key: _plain(getattr(i, key)) for key in ITEM_COLUMNS} for i in items],
    }


# ---------------------------------------------------------------------------------------------
# Delete and restore
# ---------------------------------------------------------------------------------------------


def delete_tasks(actor, tasks: list[Task]) -> dict:
    """Delete the tasks (the actor must be allowed to delete each); returns the undo payload."""
    refused = [t for t in tasks if not permissions.can_delete(actor, t)]
    if refused:
        raise PermissionDenied(
            ngettext(
                'אין לך הרשאה למחוק את המשימה "%(title)s": רק מי שיצר/ה אותה או מנהלים.',
                "אין לך הרשאה למחוק %(num)d מהמשימות שנבחרו: רק מי שיצר/ה אותן או מנהלים.",
                len(refused),
                title=refused[0].title,
            )
        )
    ids = [t.id for t in tasks]
    items: dict = {}
    for item in db.session.scalars(
        select(ChecklistItem).where(ChecklistItem.task_id.in_(ids)).order_by(ChecklistItem.order)
    ):
        items.setdefault(item.task_id, []).append(item)
    snapshots = []
    for task in tasks:
        snapshots.append(_snapshot(task, items.get(task.id, [])))
        record_activity(actor, "deleted", task, project_id=task.project_id)
        services.announce(task, "entity_deleted")
        db.session.delete(task)
    db.session.flush()
    return {"action": "restore", "tasks": snapshots}


def restore(actor, snapshots: list) -> int:
    """Put deleted tasks back (same ids); a task whose project is gone stays deleted."""
    from app.projects.models import Project

    restored = 0
    for snapshot in snapshots:
        data = {k: _typed(Task, k, v) for k, v in snapshot["task"].items() if k in TASK_COLUMNS}
        if db.session.get(Task, data["id"]) is not None:
            continue  # restored already (a second click)
        if data.get("project_id") and db.session.get(Project, data["project_id"]) is None:
            continue
        task = Task(**data)
        db.session.add(task)
        db.session.flush()
        for raw in snapshot.get("items", []):
            item = {k: _typed(ChecklistItem, k, v) for k, v in raw.items() if k in ITEM_COLUMNS}
            db.session.add(ChecklistItem(task_id=task.id, **item))
        record_activity(
            actor, "created", task, project_id=task.project_id, description=_("שוחזר אחרי מחיקה")
        )
        services.announce(task, "entity_created")
        restored += 1
    db.session.flush()
    return restored


# ---------------------------------------------------------------------------------------------
# Bulk actions
# ---------------------------------------------------------------------------------------------


def _load(actor, ids) -> list[Task]:
    wanted = []
    for value in list(ids)[:MAX_BULK]:
        try:
            wanted.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    if not wanted:
        return []
    return list(
        db.session.scalars(
            select(Task).where(Task.id.in_(wanted), permissions.visible_condition(actor))
        )
    )


def apply(actor, ids, action: str, value: str | None = None) -> BulkResult:
    """Run a bulk action on the visible tasks among `ids`. Every task is checked like a
    single edit; one refusal refuses the whole action (nothing is saved)."""
    if action not in ACTIONS:
        raise ValidationFailed({"action": [_("יש לבחור פעולה.")]})
    tasks = _load(actor, ids)
    if not tasks:
        raise ValidationFailed({"ids": [_("לא נבחרו משימות.")]})
    if action == "delete":
        return BulkResult(len(tasks), delete_tasks(actor, tasks))
    if action == "priority" and value not in PRIORITY_LABELS:
        raise ValidationFailed({"action": [_("יש לבחור עדיפות.")]})
    before = {
        str(t.id): {
            "status_key": t.status_key,
            "assigned_user_id": str(t.assigned_user_id) if t.assigned_user_id else "",
            "priority": t.priority,
        }
        for t in tasks
    }
    changed = 0
    for task in tasks:
        try:
            if action == "done":
                changes = services.set_done(actor, task, True)
            elif action == "assign":
                changes = services.update_task(actor, task, {"assigned_user_id": value or ""})
            else:
                changes = services.update_task(actor, task, {"priority": value})
        except ValidationFailed as error:
            message = "; ".join(error.messages)
            raise ValidationFailed({"ids": [f"{task.title}: {message}"]}) from error
        changed += bool(changes)
    undo = {"action": "revert", "tasks": before} if changed else None
    return BulkResult(changed, undo)


def revert(actor, payload: dict) -> int:
    """Undo a bulk action or a delete (the payload from `apply` / `delete_tasks`)."""
    if payload.get("action") == "restore":
        return restore(actor, payload.get("tasks", []))
    count = 0
    for task in _load(actor, payload.get("tasks", {}).keys()):
        old = payload["tasks"][str(task.id)]
        # Back to the old status even where the transitions would not allow it: this is undo.
        values = {k: v for k, v in old.items() if k != "status_key"}
        changes = services.update_task(actor, task, values)
        if task.status_key != old["status_key"]:
            record_activity(
                actor,
                "status_changed",
                task,
                changes={"status_key": {"old": task.status_key, "new": old["status_key"]}},
                project_id=task.project_id,
                description=_("בוטל"),
            )
            task.status_key = old["status_key"]
            services.apply_done(task, _is_final(old["status_key"]))
            db.session.flush()
            services.announce(task)
            changes = True
        count += bool(changes)
    return count


def _is_final(status_key: str) -> bool:
    from app.configuration import services as config

    entry = config.get_by_key("task_status", status_key)
    return bool(entry and entry.is_final)


DONE_MESSAGES = {
    "done": lambda n: ngettext("משימה אחת סומנה כהושלמה.", "%(num)d משימות סומנו כהושלמו.", n),
    "assign": lambda n: ngettext("משימה אחת הוקצתה.", "%(num)d משימות הוקצו.", n),
    "priority": lambda n: ngettext(
        "העדיפות עודכנה במשימה אחת.", "העדיפות עודכנה ב-%(num)d משימות.", n
    ),
    "delete": lambda n: ngettext("משימה אחת נמחקה.", "%(num)d משימות נמחקו.", n),
}

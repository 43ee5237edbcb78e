"""Changing tasks: create, update (a form or one inline field), status with the configured
transitions, tick done.

Services take the acting membership, flush, and never commit. Every change writes the activity
log (with the project) and publishes realtime messages: topic "tasks", and for a project task
the project's topics (the hub's tasks panel refreshes itself).
Checklists live in checklist.py, order and board moves in ordering.py, reminders in
reminders.py, deleting and bulk actions (with undo) in bulk.py.
"""

import uuid

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.activity.labels import register_entity_kind
from app.activity.services import diff, record_activity
from app.auth.models import User
from app.configuration import services as config
from app.core.db import utcnow
from app.core.errors import ValidationFailed
from app.extensions import db
from app.projects import services as projects
from app.projects.models import Project
from app.realtime import publish
from app.tasks import queries
from app.tasks.fields import (
    INLINE_KEYS,
    SPECS,
    TASK_FIELDS,
    clean_task,
    task_display,
)
from app.tasks.models import Task

LIST_TOPIC = "tasks"
EDITABLE = {spec.key for spec in TASK_FIELDS} | {"project_id", "linked_room_id"}


def get_task(actor, task_id) -> Task | None:
    return queries.get_task(actor, task_id)


def announce(task: Task, event: str = "entity_updated", project_id=None) -> None:
    """Realtime: the task lists, and the hub of the task's project (and of the project it left)."""
    payload = {"entity_type": "task", "entity_id": str(task.id)}
    publish(LIST_TOPIC, event, **payload)
    for pid in {task.project_id, project_id} - {None}:
        project = db.session.get(Project, pid)
        if project is not None:
            projects.announce(project, event, panel="tasks", **payload)


def _uuid(value):
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


# ---------------------------------------------------------------------------------------------
# Checks that need the actor: project, assignee, linked room, status
# ---------------------------------------------------------------------------------------------


def _check_project(actor, values: dict, raw) -> dict:
    if raw in (None, ""):
        values["project_id"] = None
        return {}
    project = projects.get_project(actor, raw)
    if project is None:
        return {"project_id": [_("הפרויקט לא נמצא, או שאין לך גישה אליו.")]}
    values["project_id"] = project.id
    return {}


def _check_assignee(values: dict, raw, project_id) -> dict:
    """Only an active member of the studio who can see the project (for a project task)."""
    if raw in (None, ""):
        values["assigned_user_id"] = None
        return {}
    user_id = _uuid(raw)
    people = {p.user_id: p for p in queries.assignable_people(project_id)}
    if user_id in people:
        values["assigned_user_id"] = user_id
        return {}
    if user_id is not None and project_id is not None:
        studio = {p.user_id: p for p in queries.assignable_people()}
        if user_id in studio:
            name = studio[user_id].full_name
            message = _(
                "%(name)s לא בצוות הפרויקט ולכן לא יראה את המשימה. "
                "אפשר להוסיף אותו/ה לצוות בכרטיס הצוות של הפרויקט.",
                name=name,
            )
            return {"assigned_user_id": [message]}
    return {"assigned_user_id": [_("אפשר להקצות משימה רק לאנשי צוות פעילים של הסטודיו.")]}


def _check_room(values: dict, raw, project_id) -> dict:
    if raw in (None, ""):
        values["linked_entity_type"], values["linked_entity_id"] = None, None
        return {}
    from app.projects.models import Room

    room_id = _uuid(raw)
    room = db.session.get(Room, room_id) if room_id else None
    if room is None or room.project_id != project_id:
        return {"linked_room_id": [_("החדר לא נמצא בפרויקט של המשימה.")]}
    values["linked_entity_type"], values["linked_entity_id"] = "room", room.id
    return {}


def _check_status(values: dict, old_key: str | None) -> dict:
    new_key = values.get("status_key")
    if not new_key:
        return {}
    try:
        target = config.validate_transition("task_status", old_key, new_key, field="status_key")
    except config.InvalidTransition as error:
        return {"status_key": [error.message]}
    values["_final"] = target.is_final
    return {}


def apply_done(task: Task, final: bool | None) -> None:
    """A final status marks the task done (and when); leaving it clears both."""
    if final is None:
        return
    if final and not task.is_done:
        task.is_done, task.completed_at = True, utcnow()
    elif not final and task.is_done:
        task.is_done, task.completed_at = False, None


def _next_order(project_id) -> int:
    highest = db.session.scalar(
        select(func.max(Task.order)).where(
            Task.project_id == project_id if project_id else Task.project_id.is_(None)
        )
    )
    return (highest or 0) + 1


def default_status_key() -> str:
    entry = config.default_entry("task_status")
    if entry is None:
        entries = [e for e in config.entries("task_status") if not e.is_final]
        entry = entries[0] if entries else None
    return entry.key if entry else "todo"


# ---------------------------------------------------------------------------------------------
# Create and update
# ---------------------------------------------------------------------------------------------


def create_task(actor, data: dict, project: Project | None = None) -> Task:
    """A new task from raw form values; `project` (or data["project_id"]) must be visible to
    the actor. Raises ValidationFailed with Hebrew messages; nothing is saved then."""
    data = dict(data)
    data["status_key"] = data.get("status_key") or default_status_key()
    data["priority"] = data.get("priority") or "medium"
    values, errors = clean_task(data, partial=False)
    raw_project = project.id if project is not None else data.get("project_id")
    errors |= _check_project(actor, values, raw_project)
    project_id = values.get("project_id")
    if "project_id" not in errors:
        errors |= _check_assignee(values, data.get("assigned_user_id"), project_id)
        errors |= _check_room(values, data.get("linked_room_id"), project_id)
    errors |= _check_status(values, None)
    if errors:
        raise ValidationFailed(errors)
    final = values.pop("_final", False)
    task = Task(
        order=_next_order(project_id),
        created_by_user_id=actor.user_id,
        reminders=[],
        depends_on=[],
    )
    for key, value in values.items():
        setattr(task, key, value)
    apply_done(task, final)
    db.session.add(task)
    db.session.flush()
    record_activity(actor, "created", task, project_id=project_id)
    announce(task, "entity_created")
    return task


def _names(user_ids) -> dict:
    ids = [i for i in user_ids if i]
    if not ids:
        return {}
    rows = db.session.execute(
        select(User.id, User.first_name, User.last_name).where(User.id.in_(ids))
    )
    return {str(i): f"{first} {last}".strip() for i, first, last in rows}


def _readable(changes: dict) -> dict:
    """Old → new as people read them (names instead of ids, Hebrew enum names)."""
    people = _names(
        _uuid(c[side])
        for key, c in changes.items()
        if key == "assigned_user_id"
        for side in ("old", "new")
    )
    readable = {}
    for key, change in changes.items():
        if key == "assigned_user_id":
            readable[key] = {side: people.get(str(change[side])) for side in ("old", "new")}
        elif key == "project_id":
            readable[key] = {side: _project_name(change[side]) for side in ("old", "new")}
        elif key in SPECS:
            readable[key] = {
                side: task_display(key, getattr_value(change[side], key)) or None
                for side in ("old", "new")
            }
        else:
            readable[key] = change
    return readable


def _project_name(project_id) -> str | None:
    project = db.session.get(Project, _uuid(project_id)) if project_id else None
    return project.name if project else None


def getattr_value(stored, key):
    """Activity diffs hold plain JSON values; dates come back as ISO text."""
    from datetime import date, time

    if stored is None:
        return None
    if SPECS[key].type == "date" and isinstance(stored, str):
        return date.fromisoformat(stored)
    if key == "due_time" and isinstance(stored, str):
        return time.fromisoformat(stored)
    return stored


def update_task(actor, task: Task, data: dict) -> dict:
    """Change the fields present in `data` (raw values); returns the readable changes."""
    unknown = set(data) - EDITABLE
    if unknown:
        raise ValidationFailed({key: [_("אי אפשר לערוך את השדה הזה.")] for key in unknown})
    values, errors = clean_task(data, partial=True, current=task)
    old_project_id = task.project_id
    if "project_id" in data:
        errors |= _check_project(actor, values, data["project_id"])
    project_id = values.get("project_id", task.project_id)
    if "project_id" not in errors:
        if "assigned_user_id" in data:
            errors |= _check_assignee(values, data["assigned_user_id"], project_id)
        elif project_id != old_project_id and task.assigned_user_id:
            errors |= _check_assignee(values, str(task.assigned_user_id), project_id)
        if "linked_room_id" in data:
            errors |= _check_room(values, data["linked_room_id"], project_id)
    errors |= _check_status(values, task.status_key)
    if errors:
        raise ValidationFailed(errors)
    final = values.pop("_final", None)
    if project_id != old_project_id:
        # Dependencies and a linked room belong to the old project.
        values["depends_on"] = []
        if "linked_room_id" not in data:
            values["linked_entity_type"], values["linked_entity_id"] = None, None
        values["order"] = _next_order(project_id)
    changes = diff(task, values)
    apply_done(task, final)
    if not changes:
        return {}
    db.session.flush()
    readable = _readable({k: v for k, v in changes.items() if k not in ("order", "depends_on")})
    if "status_key" in changes:
        action = "status_changed"
    elif set(changes) == {"assigned_user_id"}:
        action = "assigned"
    else:
        action = "updated"
    record_activity(actor, action, task, changes=readable, project_id=task.project_id)
    announce(task, project_id=old_project_id)
    return readable


def update_field(actor, task: Task, key: str, raw) -> dict:
    """An inline edit of one list cell."""
    if key not in INLINE_KEYS:
        raise ValidationFailed({key: [_("אי אפשר לערוך את השדה הזה כאן.")]})
    return update_task(actor, task, {key: raw})


def set_status(actor, task: Task, status_key: str) -> dict:
    return update_task(actor, task, {"status_key": status_key})


def done_status_for(task: Task):
    """The final status a tick moves the task to: the first one its status may move to."""
    entries = config.entries("task_status")
    finals = [e for e in entries if e.is_final]
    source = next((e for e in entries if e.key == task.status_key), None)
    allowed = [e for e in finals if config.can_transition(source, e)]
    return (allowed or finals or [None])[0]


def open_status_for(task: Task):
    """Where an un-tick goes: the default status if allowed, else the first allowed open one."""
    entries = config.entries("task_status")
    source = next((e for e in entries if e.key == task.status_key), None)
    allowed = [e for e in entries if not e.is_final and config.can_transition(source, e)]
    default = next((e for e in allowed if e.is_default), None)
    return default or (allowed or [e for e in entries if not e.is_final] or [None])[0]


def set_done(actor, task: Task, done: bool) -> dict:
    """Tick or un-tick: move to a final status or back to an open one (following the
    configured transitions; a refused move raises ValidationFailed with the reason)."""
    if bool(task.is_done) == bool(done):
        return {}
    target = done_status_for(task) if done else open_status_for(task)
    if target is None:
        raise ValidationFailed({"status_key": [_("לא הוגדר סטטוס מתאים בהגדרות.")]})
    return set_status(actor, task, target.key)


register_entity_kind(
    "task",
    _l("משימה"),
    {spec.key: spec.label for spec in TASK_FIELDS}
    | {
        "project_id": _l("פרויקט"),
        "reminders": _l("תזכורות"),
        "checklist": _l("צ'קליסט"),
        "linked_entity_type": _l("ישות מקושרת"),
        "linked_entity_id": _l("ישות מקושרת"),
        "is_done": _l("הושלמה"),
        "completed_at": _l("הושלמה בתאריך"),
    },
)

"""Order of tasks: a column or group in a new order (drag), one step up or down (keyboard and
no-JavaScript), and a board drop (status and order together)."""

import uuid

from sqlalchemy import select

from app.extensions import db
from app.projects import services as projects
from app.projects.models import Project
from app.realtime import publish
from app.tasks.models import Task
from app.tasks.services import LIST_TOPIC, set_status


def _uuid(value):
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def reorder(actor, ordered_ids) -> int:
    """Put the given tasks (one column or group) in this order; ids the actor cannot see are
    skipped. Returns how many moved."""
    ids = [i for i in (_uuid(v) for v in ordered_ids) if i is not None][:500]
    if not ids:
        return 0
    from app.tasks.permissions import visible_condition

    tasks = {
        t.id: t
        for t in db.session.scalars(select(Task).where(Task.id.in_(ids), visible_condition(actor)))
    }
    moved = 0
    touched_projects = set()
    for position, task_id in enumerate(ids, start=1):
        task = tasks.get(task_id)
        if task is not None and task.order != position:
            task.order = position
            moved += 1
            touched_projects.add(task.project_id)
    if moved:
        db.session.flush()
        publish(LIST_TOPIC, "reordered")
        for pid in touched_projects - {None}:
            project = db.session.get(Project, pid)
            if project is not None:
                projects.announce(project, "reordered", panel="tasks")
    return moved


def step(actor, task: Task, direction: str) -> bool:
    """One place up or down among the tasks of its project (or the general ones) in the same
    status: the keyboard and no-JavaScript alternative to dragging."""
    siblings = list(
        db.session.scalars(
            select(Task.id)
            .where(
                Task.project_id == task.project_id
                if task.project_id
                else Task.project_id.is_(None),
                Task.status_key == task.status_key,
            )
            .order_by(Task.order, Task.created_at, Task.id)
        )
    )
    index = siblings.index(task.id)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        return False
    siblings[index], siblings[other] = siblings[other], siblings[index]
    return bool(reorder(actor, siblings))


def move(actor, task: Task, status_key: str, ordered_ids=()) -> dict:
    """A board drop: the new status (transition rules apply), then the column's order."""
    changes = set_status(actor, task, status_key) if status_key else {}
    if ordered_ids:
        reorder(actor, ordered_ids)
    return changes

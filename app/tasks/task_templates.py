"""Task templates (digest C §3.7): checklists applied to a project.

The built-ins are added lazily, the first time a studio lists its task templates. Applying a
template adds, to an existing project, either one task whose checklist holds the template's
items (the default: "צ'קליסט ביקור אתר" → the task "ביקור אתר" with six items), or one task
per item (with its own checklist, priority, estimated hours and day offset), as the spec's
`POST /api/templates/tasks/:id/apply/:projectId` does.
"""

import uuid
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.core.errors import ValidationFailed
from app.extensions import db
from app.tasks import queries, services
from app.tasks.builtin_task_templates import BUILT_IN_TASK_TEMPLATES
from app.tasks.models import ChecklistItem, TaskTemplate

MODES = ("checklist", "tasks")
CHECKLIST_PREFIXES = ("צ'קליסט ", "צ׳קליסט ")


def ensure_built_ins() -> bool:
    """Add the built-ins once; True when they were added now (the caller commits)."""
    if db.session.scalar(select(func.count(TaskTemplate.id)).where(TaskTemplate.is_built_in)):
        return False
    for spec in BUILT_IN_TASK_TEMPLATES:
        db.session.add(TaskTemplate(is_built_in=True, **spec))
    db.session.flush()
    return True


def templates(active_only: bool = True) -> list[TaskTemplate]:
    ensure_built_ins()
    query = select(TaskTemplate).order_by(TaskTemplate.usage_count.desc(), TaskTemplate.name)
    if active_only:
        query = query.where(TaskTemplate.is_active.is_(True))
    return list(db.session.scalars(query))


def get_template(template_id) -> TaskTemplate | None:
    try:
        template_id = uuid.UUID(str(template_id))
    except ValueError:
        return None
    return db.session.get(TaskTemplate, template_id)


def task_title(template: TaskTemplate) -> str:
    """ "צ'קליסט ביקור אתר" → "ביקור אתר" (the task a checklist template becomes)."""
    for prefix in CHECKLIST_PREFIXES:
        if template.name.startswith(prefix):
            return template.name[len(prefix) :].strip() or template.name
    return template.name


def _add_items(task, texts) -> None:
    for order, text in enumerate((t for t in texts if t), start=1):
        db.session.add(ChecklistItem(task_id=task.id, text=str(text)[:500], order=order))


def apply_template(actor, template: TaskTemplate, project, *, mode="checklist", assignee=""):
    """Add the template's tasks to `project` (visible to the actor); returns the new tasks.
    Day offsets count from today (the studio's date). Raises ValidationFailed."""
    if template is None or not template.is_active:
        raise ValidationFailed({"template_id": [_("התבנית לא נמצאה או שהושבתה.")]})
    if mode not in MODES:
        raise ValidationFailed({"mode": [_("יש לבחור איך להוסיף את התבנית.")]})
    items = sorted(template.tasks or [], key=lambda t: t.get("order") or 0)
    if not items:
        raise ValidationFailed({"template_id": [_("בתבנית הזו אין משימות.")]})
    today = queries.studio_today(actor)
    created = []
    if mode == "checklist":
        task = services.create_task(
            actor,
            {
                "title": task_title(template),
                "description": template.description or "",
                "assigned_user_id": assignee or "",
            },
            project=project,
        )
        _add_items(task, [i.get("title") for i in items])
        created.append(task)
    else:
        for spec in items:
            offset = spec.get("offset_days")
            due = today + timedelta(days=int(offset)) if offset not in (None, "") else None
            task = services.create_task(
                actor,
                {
                    "title": spec.get("title", ""),
                    "description": spec.get("description") or "",
                    "priority": spec.get("priority") or "medium",
                    "estimated_hours": spec.get("estimated_hours") or "",
                    "due_date": due.isoformat() if due else "",
                    "assigned_user_id": assignee or "",
                },
                project=project,
            )
            _add_items(task, spec.get("checklist") or [])
            created.append(task)
    template.usage_count = (template.usage_count or 0) + 1
    db.session.flush()
    return created

"""A task's reminders: a type and how long before the due date; stored now, sent later by
the automations."""

from flask_babel import gettext as _

from app.activity.services import record_activity
from app.core.errors import ValidationFailed
from app.extensions import db
from app.tasks.fields import MAX_REMINDERS, REMINDER_OFFSETS, REMINDER_TYPES
from app.tasks.models import Task
from app.tasks.services import announce


def add_reminder(actor, task: Task, kind: str, before_minutes) -> None:
    try:
        minutes = int(before_minutes)
    except (TypeError, ValueError):
        minutes = -1
    errors = {}
    if kind not in REMINDER_TYPES:
        errors["reminder_type"] = [_("יש לבחור סוג תזכורת.")]
    if minutes not in REMINDER_OFFSETS:
        errors["reminder_minutes"] = [_("יש לבחור מתי לשלוח את התזכורת.")]
    reminders = list(task.reminders or [])
    if not errors and any(
        r.get("type") == kind and r.get("before_minutes") == minutes for r in reminders
    ):
        errors["reminder_minutes"] = [_("תזכורת כזו כבר קיימת.")]
    if len(reminders) >= MAX_REMINDERS:
        errors["reminder_type"] = [_("אפשר עד %(num)d תזכורות למשימה.", num=MAX_REMINDERS)]
    if errors:
        raise ValidationFailed(errors)
    reminders.append({"type": kind, "before_minutes": minutes})
    reminders.sort(key=lambda r: r["before_minutes"])
    task.reminders = reminders
    db.session.flush()
    record_activity(
        actor,
        "updated",
        task,
        changes={"reminders": {"old": len(reminders) - 1, "new": len(reminders)}},
        project_id=task.project_id,
    )
    announce(task)


def remove_reminder(actor, task: Task, index: int) -> None:
    reminders = list(task.reminders or [])
    if not 0 <= index < len(reminders):
        raise ValidationFailed({"reminders": [_("התזכורת כבר הוסרה.")]})
    reminders.pop(index)
    task.reminders = reminders
    db.session.flush()
    record_activity(
        actor,
        "updated",
        task,
        changes={"reminders": {"old": len(reminders) + 1, "new": len(reminders)}},
        project_id=task.project_id,
    )
    announce(task)

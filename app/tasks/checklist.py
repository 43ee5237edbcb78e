"""A task's checklist: add, tick, edit, delete and reorder items; progress in percent."""

import uuid

from flask_babel import gettext as _
from sqlalchemy import case, func, select

from app.activity.services import record_activity
from app.core.db import utcnow
from app.core.errors import ValidationFailed
from app.extensions import db
from app.tasks.models import ChecklistItem, Task
from app.tasks.services import announce

MAX_ITEMS = 100
MAX_TEXT = 500


def items_of(task: Task) -> list[ChecklistItem]:
    return list(
        db.session.scalars(
            select(ChecklistItem)
            .where(ChecklistItem.task_id == task.id)
            .order_by(ChecklistItem.order, ChecklistItem.created_at)
        )
    )


def progress(items) -> int:
    """Percent of the items ticked (0 for an empty checklist)."""
    items = list(items)
    if not items:
        return 0
    return round(100 * sum(1 for i in items if i.completed) / len(items))


def get_item(task: Task, item_id) -> ChecklistItem | None:
    try:
        item_id = uuid.UUID(str(item_id))
    except ValueError:
        return None
    return db.session.scalar(
        select(ChecklistItem).where(ChecklistItem.id == item_id, ChecklistItem.task_id == task.id)
    )


def _clean_text(text) -> str:
    text = " ".join(str(text or "").split())
    if not text:
        raise ValidationFailed({"text": [_("יש לכתוב את הפריט.")]})
    if len(text) > MAX_TEXT:
        raise ValidationFailed({"text": [_("אפשר להזין עד %(max)d תווים.", max=MAX_TEXT)]})
    return text


def _counts(task: Task) -> str:
    """ "2/5": ticked out of all, for the activity log."""
    total, done = db.session.execute(
        select(
            func.count(ChecklistItem.id),
            func.sum(case((ChecklistItem.completed.is_(True), 1), else_=0)),
        ).where(ChecklistItem.task_id == task.id)
    ).one()
    return f"{int(done or 0)}/{int(total or 0)}"


def _changed(actor, task: Task, description: str, before: str) -> None:
    record_activity(
        actor,
        "updated",
        task,
        changes={"checklist": {"old": before, "new": _counts(task)}},
        description=description,
        project_id=task.project_id,
    )
    announce(task)


def add_item(actor, task: Task, text) -> ChecklistItem:
    text = _clean_text(text)
    count, highest = db.session.execute(
        select(func.count(ChecklistItem.id), func.max(ChecklistItem.order)).where(
            ChecklistItem.task_id == task.id
        )
    ).one()
    if count >= MAX_ITEMS:
        raise ValidationFailed({"text": [_("אפשר עד %(num)d פריטים בצ'קליסט.", num=MAX_ITEMS)]})
    before = _counts(task)
    item = ChecklistItem(task_id=task.id, text=text, order=(highest or 0) + 1)
    db.session.add(item)
    db.session.flush()
    _changed(actor, task, _("נוסף לצ'קליסט: %(text)s", text=text), before)
    return item


def set_item_done(actor, task: Task, item: ChecklistItem, done: bool) -> bool:
    if item.completed == bool(done):
        return False
    before = _counts(task)
    item.completed = bool(done)
    item.completed_at = utcnow() if done else None
    db.session.flush()
    message = (
        _("סומן בצ'קליסט: %(text)s", text=item.text)
        if done
        else _("בוטל הסימון בצ'קליסט: %(text)s", text=item.text)
    )
    _changed(actor, task, message, before)
    return True


def edit_item(actor, task: Task, item: ChecklistItem, text) -> bool:
    text = _clean_text(text)
    if text == item.text:
        return False
    before = _counts(task)
    item.text = text
    db.session.flush()
    _changed(actor, task, _("עודכן בצ'קליסט: %(text)s", text=text), before)
    return True


def delete_item(actor, task: Task, item: ChecklistItem) -> None:
    text, before = item.text, _counts(task)
    db.session.delete(item)
    db.session.flush()
    _changed(actor, task, _("נמחק מהצ'קליסט: %(text)s", text=text), before)


def reorder_items(actor, task: Task, ordered_ids) -> int:
    items = {str(i.id): i for i in items_of(task)}
    moved = 0
    for position, item_id in enumerate([v for v in ordered_ids if v in items][:MAX_ITEMS], start=1):
        if items[item_id].order != position:
            items[item_id].order = position
            moved += 1
    if moved:
        db.session.flush()
        announce(task)
    return moved


def move_item(actor, task: Task, item: ChecklistItem, direction: str) -> bool:
    """One step up or down (the keyboard and no-JavaScript alternative to dragging)."""
    items = items_of(task)
    index = next(i for i, it in enumerate(items) if it.id == item.id)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(items):
        return False
    items[index], items[other] = items[other], items[index]
    return bool(reorder_items(actor, task, [str(i.id) for i in items]))

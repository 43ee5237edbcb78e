"""/tasks/<id>: a task's side panel (a page of its own without JavaScript): every field,
checklist, reminders, dependencies, linked entity, history; delete with undo."""

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.configuration import services as config
from app.core.errors import PermissionDenied, ValidationFailed
from app.core.permissions import member_of_tenant
from app.core.render import is_htmx, render
from app.core.undo import make_undo_token
from app.extensions import db
from app.tasks import bulk, checklist, permissions, queries, reminders, services
from app.tasks.fields import (
    LINKED_ENTITY_LABELS,
    PRIORITY_LABELS,
    REMINDER_OFFSETS,
    REMINDER_TYPES,
    TASK_FIELDS,
)
from app.tasks.models import Task
from app.tasks.routes import bp, task_or_gone
from app.tasks.routes.common import add_trigger, shared_context

FORM_KEYS = tuple(spec.key for spec in TASK_FIELDS) + ("project_id", "linked_room_id")


def _dependencies(task: Task) -> list:
    """The tasks this one waits for (visible ones; a deleted one simply drops out)."""
    ids = []
    for value in task.depends_on or []:
        try:
            import uuid

            ids.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Task).where(Task.id.in_(ids), permissions.visible_condition(g.membership))
        )
    )


def _linked(task: Task):
    """(kind label, name, url) of the linked entity, when there is one."""
    if not task.linked_entity_type or not task.linked_entity_id:
        return None
    label = LINKED_ENTITY_LABELS.get(task.linked_entity_type, task.linked_entity_type)
    if task.linked_entity_type == "room":
        from app.projects.models import Room

        room = db.session.get(Room, task.linked_entity_id)
        if room is None:
            return None
        return (label, room.name, f"/projects/{room.project_id}?open=rooms")
    return (label, "", None)


def detail_context(task: Task, *, form=None, errors=None, **extra) -> dict:
    from app.projects.models import Room

    rooms = []
    if task.project_id:
        rooms = list(
            db.session.scalars(
                select(Room).where(Room.project_id == task.project_id).order_by(Room.order)
            )
        )
    items = checklist.items_of(task)
    statuses = config.allowed_targets("task_status", task.status_key)
    if task.status_key not in {e.key for e in statuses}:
        current = config.get_by_key("task_status", task.status_key)
        statuses = ([current] if current else []) + statuses
    return (
        shared_context()
        | {
            "task": task,
            "form": form or {},
            "errors": errors or {},
            "items": items,
            "checklist_percent": checklist.progress(items),
            "status_options": statuses,
            "priority_options": list(PRIORITY_LABELS.items()),
            "people": queries.assignable_people(task.project_id),
            "projects": queries.visible_projects(g.membership),
            "rooms": rooms,
            "reminder_types": REMINDER_TYPES,
            "reminder_offsets": REMINDER_OFFSETS,
            "dependencies": _dependencies(task),
            "linked": _linked(task),
            "can_delete_task": permissions.can_delete(g.membership, task),
        }
        | extra
    )


@bp.get("/<uuid:task_id>")
@member_of_tenant()
def show(task_id):
    task = task_or_gone(task_id)
    return render("tasks/show.html", "tasks/_detail.html", **detail_context(task))


@bp.post("/<uuid:task_id>")
@member_of_tenant()
def update(task_id):
    task = task_or_gone(task_id)
    data = {key: request.form.get(key, "") for key in FORM_KEYS if key in request.form}
    try:
        changes = services.update_task(g.membership, task, data)
    except ValidationFailed as error:
        db.session.rollback()
        task = task_or_gone(task_id)
        context = detail_context(task, form=request.form, errors=error.errors)
        return render("tasks/show.html", "tasks/_detail.html", status=422, **context)
    except PermissionDenied:
        abort(403)
    db.session.commit()
    message = _("השינויים נשמרו.") if changes else _("לא היה מה לשנות.")
    if not is_htmx():
        flash(message, "success")
        return redirect(url_for("tasks.show", task_id=task_id))
    task = task_or_gone(task_id)
    response = render("tasks/show.html", "tasks/_detail.html", **detail_context(task, saved=True))
    return add_trigger(response, toast=message, changed=bool(changes))


# ---------------------------------------------------------------------------------------------
# Reminders
# ---------------------------------------------------------------------------------------------


def _reminders_response(task_id, error=None, status=200):
    task = task_or_gone(task_id)
    if not is_htmx():
        if error:
            flash(error, "error")
        return redirect(url_for("tasks.show", task_id=task_id, _anchor="task-reminders"))
    context = detail_context(task, reminder_error=error)
    return render("tasks/_reminders.html", status=status, **context)


@bp.post("/<uuid:task_id>/reminders")
@member_of_tenant()
def add_reminder(task_id):
    task = task_or_gone(task_id)
    try:
        reminders.add_reminder(
            g.membership, task, request.form.get("type", ""), request.form.get("before_minutes")
        )
    except ValidationFailed as error:
        db.session.rollback()
        return _reminders_response(task_id, " ".join(error.messages), 422)
    db.session.commit()
    return _reminders_response(task_id)


@bp.post("/<uuid:task_id>/reminders/<index>/delete")
@member_of_tenant()
def remove_reminder(task_id, index):
    task = task_or_gone(task_id)
    try:
        reminders.remove_reminder(g.membership, task, int(index) if index.isdigit() else -1)
    except ValidationFailed as error:
        db.session.rollback()
        return _reminders_response(task_id, " ".join(error.messages), 422)
    db.session.commit()
    return _reminders_response(task_id)


# ---------------------------------------------------------------------------------------------
# Delete (with undo)
# ---------------------------------------------------------------------------------------------


@bp.post("/<uuid:task_id>/delete")
@member_of_tenant()
def delete(task_id):
    task = task_or_gone(task_id)
    title, project_id = task.title, task.project_id
    try:
        undo = bulk.delete_tasks(g.membership, [task])
    except PermissionDenied as error:
        db.session.rollback()
        if not is_htmx():
            abort(403)
        response = render("tasks/_undo_result.html", ok=False)
        return add_trigger(response, toast=(error.message, "error"))
    db.session.commit()
    token = make_undo_token(g.membership, undo)
    message = _('המשימה "%(title)s" נמחקה.', title=title)
    if not is_htmx():
        flash(message, "success")
        if project_id:
            return redirect(f"/projects/{project_id}?open=tasks")
        return redirect(url_for("tasks.index"))
    response = render("tasks/_deleted.html", title=title)
    return add_trigger(response, toast=message, undo=token, changed=True)

"""A task's checklist in its side panel: add, tick, edit, delete, reorder. Each answers with
the checklist fragment (#task-checklist-<id>), or back to the task's page without JavaScript."""

from flask import abort, flash, g, redirect, request, url_for

from app.core.errors import ValidationFailed
from app.core.permissions import member_of_tenant
from app.core.render import is_htmx, render
from app.extensions import db
from app.tasks import checklist
from app.tasks.routes import bp, task_or_gone
from app.tasks.routes.common import add_trigger


def _item_or_404(task, item_id):
    return checklist.get_item(task, item_id) or abort(404)


def _answer(task_id, *, error=None, status=200, changed=False):
    task = task_or_gone(task_id)
    if not is_htmx():
        if error:
            flash(error, "error")
        return redirect(url_for("tasks.show", task_id=task_id, _anchor="task-checklist"))
    items = checklist.items_of(task)
    response = render(
        "tasks/_checklist.html",
        status=status,
        task=task,
        items=items,
        checklist_percent=checklist.progress(items),
        checklist_error=error,
    )
    return add_trigger(response, changed=changed)


def _run(task_id, action):
    try:
        action()
    except ValidationFailed as failure:
        db.session.rollback()
        return _answer(task_id, error=" ".join(failure.messages), status=422)
    db.session.commit()
    return _answer(task_id, changed=True)


@bp.post("/<uuid:task_id>/checklist")
@member_of_tenant()
def add_item(task_id):
    task = task_or_gone(task_id)
    return _run(task_id, lambda: checklist.add_item(g.membership, task, request.form.get("text")))


@bp.post("/<uuid:task_id>/checklist/<uuid:item_id>/toggle")
@member_of_tenant()
def toggle_item(task_id, item_id):
    task = task_or_gone(task_id)
    item = _item_or_404(task, item_id)
    done = request.form.get("done") == "1"
    return _run(task_id, lambda: checklist.set_item_done(g.membership, task, item, done))


@bp.post("/<uuid:task_id>/checklist/<uuid:item_id>/edit")
@member_of_tenant()
def edit_item(task_id, item_id):
    task = task_or_gone(task_id)
    item = _item_or_404(task, item_id)
    return _run(
        task_id, lambda: checklist.edit_item(g.membership, task, item, request.form.get("text"))
    )


@bp.post("/<uuid:task_id>/checklist/<uuid:item_id>/delete")
@member_of_tenant()
def delete_item(task_id, item_id):
    task = task_or_gone(task_id)
    item = _item_or_404(task, item_id)
    return _run(task_id, lambda: checklist.delete_item(g.membership, task, item))


@bp.post("/<uuid:task_id>/checklist/order")
@member_of_tenant()
def order_items(task_id):
    """Drag (reorder.js posts every id in order), Alt+arrows, or a row's up/down button."""
    task = task_or_gone(task_id)
    move_id, direction = request.form.get("move_id"), request.form.get("direction")
    if move_id and direction in ("up", "down"):
        item = _item_or_404(task, move_id)
        return _run(task_id, lambda: checklist.move_item(g.membership, task, item, direction))
    ordered = request.form.getlist("order")
    return _run(task_id, lambda: checklist.reorder_items(g.membership, task, ordered))

"""Actions on tasks from the lists, the board and the hub panel: tick done, move to a status
(drag or the "move to…" menu), reorder, bulk actions, and undo. Each answers with the fragment
it came from (`?view=`); a refused move answers 422 with the fragment as stored (the card goes
back) and the reason in a toast."""

from flask import abort, g, request
from flask_babel import gettext as _
from flask_babel import ngettext

from app.core.errors import PermissionDenied, ValidationFailed
from app.core.permissions import member_of_tenant
from app.core.render import is_htmx, render
from app.core.undo import make_undo_token, read_undo_token
from app.extensions import db
from app.tasks import bulk, ordering, queries, services
from app.tasks.routes import bp, task_or_gone
from app.tasks.routes.common import add_trigger, current_view, filters, respond


def _refused(view: str, error: ValidationFailed):
    db.session.rollback()
    return respond(view, status=422, toast=(" ".join(error.messages), "error"))


@bp.post("/<uuid:task_id>/done")
@member_of_tenant()
def toggle_done(task_id):
    """Tick (done=1) or un-tick (done=0)."""
    view = current_view()
    task = task_or_gone(task_id)
    done = request.form.get("done") == "1"
    title = task.title
    try:
        changes = services.set_done(g.membership, task, done)
    except ValidationFailed as error:
        return _refused(view, error)
    db.session.commit()
    if not changes:
        return respond(view)
    message = (
        _('"%(title)s" הושלמה.', title=title) if done else _('"%(title)s" נפתחה מחדש.', title=title)
    )
    return respond(view, toast=message)


@bp.post("/<uuid:task_id>/move")
@member_of_tenant()
def move(task_id):
    """A board drop or a "move to…" choice: the status (transition rules apply) and, after a
    drag, the new order of the target column (`order`: task ids)."""
    view = current_view("board")
    task = task_or_gone(task_id)
    status = request.form.get("status", "")
    old_status, title = task.status_key, task.title
    ordered = [v for v in request.form.getlist("order") if v][:500]
    try:
        ordering.move(g.membership, task, status, ordered)
    except ValidationFailed as error:
        return _refused(view, error)
    db.session.commit()
    toast = None
    if status and status != old_status:
        entry = queries.status_entries([status])
        name = next((e.label for e in entry if e.key == status), status)
        toast = _('"%(title)s" הועברה ל"%(status)s".', title=title, status=name)
    return respond(view, toast=toast)


@bp.post("/reorder")
@member_of_tenant()
def reorder():
    """One column or group in a new order (drag with reorder.js, or Alt+arrows)."""
    view = current_view("panel")
    ordering.reorder(g.membership, [v for v in request.form.getlist("order") if v])
    db.session.commit()
    return respond(view)


@bp.post("/<uuid:task_id>/step")
@member_of_tenant()
def step(task_id):
    """The up/down buttons beside a row (they work without JavaScript too)."""
    view = current_view("panel")
    task = task_or_gone(task_id)
    ordering.step(g.membership, task, request.form.get("direction", ""))
    db.session.commit()
    return respond(view)


# ---------------------------------------------------------------------------------------------
# Bulk actions and undo
# ---------------------------------------------------------------------------------------------


def _selected_ids(view: str) -> list:
    if request.form.get("select_all") == "1" and view == "list":
        return [str(i) for i in queries.all_matching_ids(g.membership, filters())]
    return request.form.getlist("ids")


@bp.post("/bulk")
@member_of_tenant()
def bulk_action():
    view = current_view("list")
    action, _sep, value = (request.form.get("action") or "").partition(":")
    try:
        result = bulk.apply(g.membership, _selected_ids(view), action, value or None)
    except ValidationFailed as error:
        return _refused(view, error)
    except PermissionDenied as error:
        db.session.rollback()
        if not is_htmx():
            abort(403)
        return respond(view, status=422, toast=(error.message, "error"))
    db.session.commit()
    if result.count == 0:
        return respond(view, toast=(_("לא היה מה לשנות במשימות שנבחרו."), "info"))
    token = make_undo_token(g.membership, result.undo) if result.undo else None
    return respond(view, toast=bulk.DONE_MESSAGES[action](result.count), undo=token)


@bp.post("/undo")
@member_of_tenant()
def undo():
    payload = read_undo_token(g.membership, request.form.get("token", ""))
    if payload is None:
        response = render("tasks/_undo_result.html", ok=False)
        return add_trigger(response, toast=(_("כבר מאוחר מדי לבטל את הפעולה."), "warning"))
    try:
        count = bulk.revert(g.membership, payload)
    except (ValidationFailed, PermissionDenied):
        db.session.rollback()
        response = render("tasks/_undo_result.html", ok=False)
        return add_trigger(response, toast=(_("הביטול נכשל."), "error"))
    db.session.commit()
    response = render("tasks/_undo_result.html", ok=True)
    message = ngettext("הפעולה בוטלה (משימה אחת).", "הפעולה בוטלה (%(num)d משימות).", count)
    return add_trigger(response, toast=message, changed=True)

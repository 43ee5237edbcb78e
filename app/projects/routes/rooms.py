"""The hub's rooms panel (/projects/<id>/rooms/...): the list with per-room task counts, the
add form at its top, inline edit of each field, reorder (drag, Alt+arrows, or the up/down
buttons), and deleting one or many rooms with undo.

Every action answers with the whole panel (#rooms-panel), so the counts and the order are
always the stored ones.
"""

import json

from flask import abort, flash, g, make_response, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from app.core.errors import ValidationFailed
from app.core.fieldspec import config_choices
from app.core.permissions import member_of_tenant
from app.core.render import is_htmx, render, with_toast
from app.core.undo import make_undo_token, read_undo_token
from app.extensions import db
from app.projects import panels
from app.projects import rooms as service
from app.projects.fields import ROOM_FIELDS, ROOM_SPECS, visible_specs
from app.projects.routes import bp, project_or_404
from app.projects.routes.hub import entry_of
from app.projects.vocab import DESIGN_STATUS_LABELS

COLUMNS = ("name", "type_key", "area", "budget", "design_status", "notes")
ADD_KEYS = ("name", "type_key", "area", "budget", "design_status")
DESIGN_VARIANTS = {
    "not_started": "neutral",
    "concept": "info",
    "detailed": "info",
    "approved": "success",
    "in_progress": "warning",
    "completed": "success",
}
CHANGED = "rooms-changed"  # the panel listens for it (after an undo, or a room gone meanwhile)


def _keys(*, editing: bool) -> set:
    return {s.key for s in visible_specs(ROOM_FIELDS, g.membership, editing=editing)}


def rooms_context(project, **extra) -> dict:
    visible = _keys(editing=False)
    return {
        "project": project,
        "rooms": service.rooms_of(project),
        "task_counts": panels.room_task_counts(project),
        "columns": [ROOM_SPECS[k] for k in COLUMNS if k in visible],
        "editable_keys": _keys(editing=True),
        "type_choices": config_choices("room_type"),
        "design_choices": [(k, str(v)) for k, v in DESIGN_STATUS_LABELS.items()],
        "design_variants": DESIGN_VARIANTS,
        "entry_of": entry_of,
        "errors": {},
        "values": {},
    } | extra


def _panel(project, status: int = 200, **extra):
    return render("projects/_panel_rooms.html", status=status, **rooms_context(project, **extra))


def _back(project):
    return redirect(url_for("projects.hub", project_id=project.id, open="rooms"))


def _trigger(response, message: str, level: str = "success", undo=None, refresh: bool = True):
    """A toast (with an undo button when given), and the panel's refresh event when the
    response is not the panel itself."""
    toast = {"message": message, "level": level} | ({"undo": undo} if undo else {})
    events = {"toast": toast} | ({CHANGED: True} if refresh else {})
    response.headers["HX-Trigger"] = json.dumps(events)
    return response


@bp.get("/<uuid:project_id>/rooms/panel")
@member_of_tenant()
def rooms_panel(project_id):
    project = project_or_404(project_id)
    return _panel(project)


@bp.post("/<uuid:project_id>/rooms")
@member_of_tenant()
def rooms_add(project_id):
    project = project_or_404(project_id)
    data = {k: request.form.get(k, "") for k in ADD_KEYS if k in request.form}
    try:
        room = service.add_room(g.membership, project, data)
    except ValidationFailed as error:
        db.session.rollback()
        if not is_htmx():
            flash(" ".join(error.messages), "error")
            return _back(project)
        project = project_or_404(project_id)
        return _panel(project, 422, errors=error.errors, values=data)
    name = room.name
    db.session.commit()
    if not is_htmx():
        flash(_("החדר %(name)s נוסף.", name=name), "success")
        return _back(project)
    return with_toast(_panel(project, added=True), _("החדר %(name)s נוסף.", name=name))


# ---------------------------------------------------------------------------------------------
# Inline edit of one room's field
# ---------------------------------------------------------------------------------------------


def _room_gone(project):
    """Someone deleted the room meanwhile: say so and refresh the panel."""
    response = make_response('<span class="cell__empty">—</span>')
    return _trigger(response, _("החדר נמחק בינתיים על ידי משתמש אחר."), "warning")


def cell_context(project, room, key: str, **extra) -> dict:
    """What one cell needs (not the whole list: an edit costs no more than the room)."""
    if key not in COLUMNS or key not in _keys(editing=False):
        abort(404)
    return {
        "project": project,
        "room": room,
        "spec": ROOM_SPECS[key],
        "key": key,
        "editable_keys": _keys(editing=True),
        "design_variants": DESIGN_VARIANTS,
        "entry_of": entry_of,
    } | extra


def room_editor_context(project, room, key: str, **extra) -> dict:
    context = cell_context(project, room, key)  # unknown or hidden field: 404
    if key not in context["editable_keys"]:
        abort(403)
    spec = ROOM_SPECS[key]
    if spec.type == "config":
        options = config_choices(spec.config_kind, room.type_key)
    elif spec.type == "choice":
        options = [(k, str(v)) for k, v in spec.choices.items()]
    else:
        options = []
    ids = {"project_id": project.id, "room_id": room.id, "key": key}
    return (
        context
        | {
            "obj": room,
            "field_id": f"room-{room.id}-{key}-input",
            "current": getattr(room, key),
            "options": options,
            "save_url": url_for("projects.room_save_field", **ids),
            "cancel_url": url_for("projects.room_field", **ids),
            "target": "closest td",
            "object_name": room.name,
        }
        | extra
    )


@bp.get("/<uuid:project_id>/rooms/<uuid:room_id>/field/<key>")
@member_of_tenant()
def room_field(project_id, room_id, key):
    project = project_or_404(project_id)
    room = service.get_room(project, room_id)
    if room is None:
        return _room_gone(project)
    if request.args.get("edit"):
        return render("projects/_hub_field_editor.html", **room_editor_context(project, room, key))
    return render("projects/_hub_room_cell.html", **cell_context(project, room, key))


@bp.post("/<uuid:project_id>/rooms/<uuid:room_id>/field/<key>")
@member_of_tenant()
def room_save_field(project_id, room_id, key):
    project = project_or_404(project_id)
    room = service.get_room(project, room_id)
    if room is None:
        return _room_gone(project)
    room_editor_context(project, room, key)  # 404 / 403 before anything changes
    raw = request.form.get("value", "")
    try:
        changes = service.update_room(g.membership, project, room, {key: raw})
    except ValidationFailed as error:
        db.session.rollback()
        message = "; ".join(error.messages)
        if not is_htmx():
            flash(message, "error")
            return _back(project)
        project = project_or_404(project_id)
        room = service.get_room(project, room_id)
        context = room_editor_context(project, room, key, error=message, attempted=raw)
        return render("projects/_hub_field_editor.html", status=422, **context)
    db.session.commit()
    if not is_htmx():
        return _back(project)
    context = cell_context(project, room, key, saved=bool(changes))
    return render("projects/_hub_room_cell.html", **context)


# ---------------------------------------------------------------------------------------------
# Order
# ---------------------------------------------------------------------------------------------


def _after_order(project):
    db.session.commit()
    return _panel(project) if is_htmx() else _back(project)


@bp.post("/<uuid:project_id>/rooms/order")
@member_of_tenant()
def rooms_reorder(project_id):
    project = project_or_404(project_id)
    service.reorder_rooms(g.membership, project, request.form.getlist("order"))
    return _after_order(project)


@bp.post("/<uuid:project_id>/rooms/<uuid:room_id>/move")
@member_of_tenant()
def room_move(project_id, room_id):
    """The keyboard (and no-JS) alternative to dragging: one place up or down."""
    project = project_or_404(project_id)
    ids = [str(r.id) for r in service.rooms_of(project)]
    if str(room_id) not in ids:
        abort(404)
    at = ids.index(str(room_id))
    to = at - 1 if request.form.get("direction") == "up" else at + 1
    if 0 <= to < len(ids):
        ids[at], ids[to] = ids[to], ids[at]
        service.reorder_rooms(g.membership, project, ids)
    return _after_order(project)


# ---------------------------------------------------------------------------------------------
# Delete (one or many) and undo
# ---------------------------------------------------------------------------------------------


@bp.post("/<uuid:project_id>/rooms/delete")
@member_of_tenant()
def rooms_delete(project_id):
    project = project_or_404(project_id)
    chosen = service.get_rooms(project, request.form.getlist("ids"))
    if not chosen:
        if not is_htmx():
            return _back(project)
        return with_toast(_panel(project), _("לא נבחרו חדרים."), "info")
    snapshots = [service.room_snapshot(r) for r in chosen]
    names = [r.name for r in chosen]
    for room in chosen:
        service.delete_room(g.membership, project, room)
    db.session.commit()
    if len(names) == 1:
        message = _("החדר %(name)s נמחק.", name=names[0])
    else:
        message = ngettext("חדר אחד נמחק.", "%(num)d חדרים נמחקו.", len(names))
    if not is_htmx():
        flash(message, "success")
        return _back(project)
    token = make_undo_token(g.membership, {"project": str(project.id), "rooms": snapshots})
    undo = {"url": url_for("projects.rooms_undo", project_id=project.id), "token": token}
    response = render("projects/_panel_rooms.html", **rooms_context(project))
    return _trigger(response, message, undo=undo, refresh=False)


@bp.post("/<uuid:project_id>/rooms/undo")
@member_of_tenant()
def rooms_undo(project_id):
    project = project_or_404(project_id)
    payload = read_undo_token(g.membership, request.form.get("token", ""))
    if not payload or payload.get("project") != str(project.id):
        return with_toast(make_response(""), _("כבר מאוחר מדי לבטל את הפעולה."), "warning")
    count = service.restore_rooms(g.membership, project, payload.get("rooms") or [])
    db.session.commit()
    if not count:
        return _trigger(make_response(""), _("החדרים כבר שוחזרו."), "info")
    message = ngettext("החדר שוחזר.", "%(num)d חדרים שוחזרו.", count)
    return _trigger(make_response(""), message)

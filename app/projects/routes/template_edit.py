"""Editing a custom template's contents (/projects/templates/<id>/contents) and duplicating a
template (/projects/templates/<id>/duplicate), for those who manage templates.

The editor is one form that works without JavaScript: "add a row", "remove", "up" and "down"
are submit buttons (name="action") that re-render the form with the change and nothing saved;
"save" validates everything and stores it. With htmx the same posts swap only the form.
"""

import re

from flask import abort, flash, g, make_response, redirect, request, url_for
from flask_babel import gettext as _

from app.core.errors import PermissionDenied, ValidationFailed
from app.core.fieldspec import config_choices, config_entries
from app.core.permissions import member_of_tenant
from app.core.render import is_htmx, render
from app.extensions import db
from app.projects import permissions
from app.projects import template_editing as editing
from app.projects import templates as project_templates
from app.projects.routes import bp
from app.projects.routes.templates import PAYMENT_TYPE_LABELS
from app.projects.vocab import PRIORITY_LABELS
from app.tenants.labels import ROLE_LABELS

PAGE = "projects/template_edit.html"
FORM = "projects/template_edit_form.html"
ACTION = re.compile(r"(rooms|tasks|payments)-(remove|up|down)-(\d{1,4})")
MAX_FORM_ROWS = 500  # parsing bound; the service refuses more than each section allows


# ---------------------------------------------------------------------------------------------
# The form ⇄ rows
# ---------------------------------------------------------------------------------------------


def _indexes(form, kind: str, key: str) -> list[int]:
    pattern = re.compile(rf"{kind}-(\d{{1,4}})-{key}")
    found = {int(m.group(1)) for name in form if (m := pattern.fullmatch(name))}
    return sorted(found)[:MAX_FORM_ROWS]


def rows_from_form(form) -> dict:
    """The rows as typed, in the order of their indexes (gaps are fine: a script may remove
    a row without renumbering the others)."""
    rooms = [
        {"name": form.get(f"rooms-{i}-name", ""), "type_key": form.get(f"rooms-{i}-type_key", "")}
        for i in _indexes(form, "rooms", "name")
    ]
    tasks = [
        {
            "id": form.get(f"tasks-{i}-id", ""),
            **{
                key: form.get(f"tasks-{i}-{key}", "")
                for key in (
                    "title",
                    "phase",
                    "offset_days",
                    "duration_days",
                    "assign_to_role",
                    "priority",
                    "checklist",
                )
            },
            "depends_on": form.getlist(f"tasks-{i}-depends_on"),
        }
        for i in _indexes(form, "tasks", "id")
    ]
    payments = [
        {
            key: form.get(f"payments-{i}-{key}", "")
            for key in ("name", "type", "percentage", "trigger")
        }
        for i in _indexes(form, "payments", "name")
    ]
    return {"rooms": rooms, "tasks": tasks, "payments": payments}


def _new_row(kind: str, rows: dict, template) -> dict:
    if kind == "rooms":
        return {"name": "", "type_key": ""}
    if kind == "payments":
        return {"name": "", "type": "milestone", "percentage": "", "trigger": ""}
    # A new task starts where the last one ends, a sensible first guess for its day.
    last = rows["tasks"][-1] if rows["tasks"] else {}
    try:
        start = int(last.get("offset_days") or 0) + int(last.get("duration_days") or 0)
    except ValueError:
        start = 0
    return {
        "id": editing.new_task_id(rows["tasks"] + list(template.tasks or [])),
        "title": "",
        "phase": last.get("phase", ""),
        "offset_days": str(min(max(start, 0), editing.MAX_DAYS)),
        "duration_days": "0",
        "assign_to_role": "",
        "priority": "medium",
        "depends_on": [],
        "checklist": "",
    }


def apply_action(rows: dict, action: str, template) -> str | None:
    """Add, remove or move a row in `rows` (in place); the id of the control to focus next."""
    if action.startswith("add-") and action[4:] in editing.KINDS:
        kind = action[4:]
        if len(rows[kind]) >= editing.MAX_ROWS[kind]:
            return f"add-{kind}"
        rows[kind].append(_new_row(kind, rows, template))
        first = {"rooms": "name", "tasks": "title", "payments": "name"}[kind]
        return f"{kind}-{len(rows[kind]) - 1}-{first}"
    match = ACTION.fullmatch(action)
    if not match or int(match.group(3)) >= len(rows[match.group(1)]):
        return None
    kind, verb, index = match.group(1), match.group(2), int(match.group(3))
    items = rows[kind]
    if verb == "remove":
        removed = items.pop(index)
        if kind == "tasks":
            for task in items:
                task["depends_on"] = [d for d in task["depends_on"] if d != removed["id"]]
        return f"{kind}-{index}-remove" if index < len(items) else f"add-{kind}"
    target = index - 1 if verb == "up" else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
        index = target
    # Keep the keyboard on the row that moved; at an end its other arrow is the useful one.
    if index == 0:
        verb = "down"
    elif index == len(items) - 1:
        verb = "up"
    return f"{kind}-{index}-{verb}" if len(items) > 1 else f"{kind}-{index}-remove"


# ---------------------------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------------------------


def _editable_template_or_abort(template_id):
    template = project_templates.get_template(template_id) or abort(404)
    if not permissions.can_manage_templates(g.membership):
        abort(403)
    return template


def _context(template, rows: dict, errors=None, focus=None) -> dict:
    current_rooms = {r["type_key"] for r in rows["rooms"]}
    current_phases = {t["phase"] for t in rows["tasks"]}
    return {
        "template": template,
        "rows": rows,
        "errors": errors or {},
        "focus": focus,
        "room_types": _with_current("room_type", current_rooms),
        "phases": _with_current("project_phase", current_phases),
        "roles": ROLE_LABELS,
        "priorities": PRIORITY_LABELS,
        "payment_types": PAYMENT_TYPE_LABELS,
        "total": editing.percentage_total(rows["payments"]),
        "max_rows": editing.MAX_ROWS,
    }


def _with_current(kind: str, current) -> list[tuple[str, str]]:
    """The active entries, plus any retired one a row still holds (shown, not lost)."""
    choices = config_choices(kind)
    keys = {key for key, _label in choices}
    labels = {e.key: e.label for e in config_entries(kind)}
    extra = [(key, labels.get(key, key)) for key in sorted(current) if key and key not in keys]
    return choices + extra


def _first_error_control(errors: dict) -> str | None:
    """Where the cursor goes after a refused save: a section's own message (a cycle, the
    percentages) first, else the first field in error, section by section."""
    for kind in editing.KINDS:
        if kind in errors:
            return f"{kind}-errors"
        first = next((key for key in errors if key.startswith(f"{kind}-")), None)
        if first:
            return first
    return None


@bp.route(
    "/templates/<uuid:template_id>/contents",
    methods=["GET", "POST"],
    endpoint="template_contents",
)
@member_of_tenant()
def template_contents(template_id):
    template = _editable_template_or_abort(template_id)
    detail = url_for("projects.template", template_id=template.id)
    if template.is_built_in:
        if request.method == "POST":
            raise PermissionDenied(editing.built_in_message())
        flash(editing.built_in_message(), "warning")
        return redirect(detail)
    if request.method == "GET":
        return render(PAGE, **_context(template, editing.editor_rows(template)))

    rows = rows_from_form(request.form)
    action = request.form.get("action") or "save"
    if action != "save":
        focus = apply_action(rows, action, template)
        return render(PAGE, FORM, **_context(template, rows, focus=focus))
    try:
        editing.save_contents(g.membership, template, rows)
    except ValidationFailed as error:
        db.session.rollback()
        context = _context(template, rows, error.errors, _first_error_control(error.errors))
        return render(PAGE, FORM, status=422, **context)
    name = template.name
    db.session.commit()
    flash(_('התבנית "%(name)s" נשמרה.', name=name), "success")
    if is_htmx():
        response = make_response("", 200)
        response.headers["HX-Redirect"] = detail
        return response
    return redirect(detail)


@bp.post("/templates/<uuid:template_id>/duplicate", endpoint="duplicate_template")
@member_of_tenant()
def duplicate_template(template_id):
    template = project_templates.get_template(template_id) or abort(404)
    try:
        copy = editing.duplicate_template(g.membership, template)
    except PermissionDenied:
        abort(403)
    name, url = copy.name, url_for("projects.template_contents", template_id=copy.id)
    db.session.commit()
    flash(_('נוצרה התבנית "%(name)s". כאן עורכים את התוכן שלה.', name=name), "success")
    if is_htmx():
        response = make_response("", 200)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url)

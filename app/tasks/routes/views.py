"""/tasks: my tasks (buckets), the list (grouped, filtered, paged) and the board; quick add;
inline editing of a row's cells."""

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _

from app.configuration import services as config
from app.core.errors import PermissionDenied, ValidationFailed
from app.core.permissions import member_of_tenant
from app.core.render import is_htmx, render
from app.extensions import db
from app.projects import services as projects
from app.tasks import queries, quick_add, services
from app.tasks.fields import INLINE_KEYS, PRIORITY_LABELS, SPECS
from app.tasks.routes import bp, task_or_gone
from app.tasks.routes.common import (
    CONTAINERS,
    VIEWS,
    add_trigger,
    board_context,
    filters,
    list_context,
    mine_context,
    shared_context,
)


@bp.get("")
@member_of_tenant()
def index():
    # A link with filters but no view (the dashboard's "and 3 more") means the list.
    filtered = any(request.args.get(k) for k in ("due", "assignee", "project", "status", "q"))
    view = request.args.get("view") or ("list" if filtered else "mine")
    if view not in VIEWS:
        abort(404)
    flt = filters()
    builders = {
        "mine": mine_context,
        "list": lambda: list_context(flt),
        "board": lambda: board_context(flt),
    }
    context = shared_context() | builders[view]()
    target = request.headers.get("HX-Target")
    if is_htmx() and target in ("tasks-mine", "tasks-list", "tasks-board"):
        return render(CONTAINERS[view], CONTAINERS[view], **context)
    context |= {
        "people": queries.assignable_people(),
        "projects": queries.visible_projects(g.membership),
        "status_entries": queries.status_entries(),
        "open_task": request.args.get("task", "")[:40],
    }
    return render("tasks/index.html", **context)


# ---------------------------------------------------------------------------------------------
# Quick add
# ---------------------------------------------------------------------------------------------


def _quick_form(project=None, line="", error=None, warnings=()):
    return render(
        "tasks/_quick_add.html",
        project=project,
        line=line,
        error=error,
        warnings=list(warnings),
        projects=None if project is not None else queries.visible_projects(g.membership),
        chosen_project=request.form.get("project_id", ""),
    )


def _back(project) -> str:
    """Where a quick add without JavaScript returns: the hub's panel, or /tasks."""
    return f"/projects/{project.id}?open=tasks" if project is not None else url_for("tasks.index")


@bp.post("/quick-add")
@member_of_tenant()
def quick_add_task():
    line = (request.form.get("line") or "").strip()
    raw_project = request.form.get("project_id") or ""
    fixed = request.form.get("fixed_project") == "1"
    project = None
    if raw_project:
        project = projects.get_project(g.membership, raw_project)
        if project is None:
            abort(404)
    try:
        task, warnings = quick_add.quick_add(g.membership, line, project=project)
    except ValidationFailed as error:
        db.session.rollback()
        message = " ".join(error.messages)
        if not is_htmx():
            flash(message, "error")
            return redirect(_back(project if fixed else None))
        return _quick_form(project if fixed else None, line, error=message)
    title = task.title
    db.session.commit()
    message = _('המשימה "%(title)s" נוספה.', title=title)
    if not is_htmx():
        flash(message, "success")
        for warning in warnings:
            flash(warning, "warning")
        return redirect(_back(project if fixed else None))
    response = _quick_form(project if fixed else None, "", warnings=warnings)
    # The warnings also go in the toast: in the hub panel the form is redrawn with the list.
    toast = " ".join([message, *warnings])
    return add_trigger(response, toast=(toast, "warning" if warnings else "success"), changed=True)


# ---------------------------------------------------------------------------------------------
# Inline edit of one cell
# ---------------------------------------------------------------------------------------------


def _cell_context(task, key: str, **extra) -> dict:
    if key not in INLINE_KEYS:
        abort(404)
    options = []
    if key == "status_key":
        options = [(e.key, e.label) for e in config.allowed_targets("task_status", task.status_key)]
    elif key == "priority":
        options = [(k, str(v)) for k, v in PRIORITY_LABELS.items()]
    elif key == "assigned_user_id":
        options = [
            (str(p.user_id), p.full_name) for p in queries.assignable_people(task.project_id)
        ]
    return (
        shared_context()
        | {"task": task, "key": key, "spec": SPECS[key], "options": options}
        | extra
    )


@bp.get("/<uuid:task_id>/cell/<key>")
@member_of_tenant()
def cell(task_id, key):
    task = task_or_gone(task_id)
    context = _cell_context(task, key)
    template = "tasks/_cell_editor.html" if request.args.get("edit") else "tasks/_cell.html"
    return render(template, **context)


@bp.post("/<uuid:task_id>/cell/<key>")
@member_of_tenant()
def save_cell(task_id, key):
    task = task_or_gone(task_id)
    _cell_context(task, key)
    raw = request.form.get("value", "")
    try:
        changes = services.update_field(g.membership, task, key, raw)
    except ValidationFailed as error:
        db.session.rollback()
        task = task_or_gone(task_id)  # the stored value
        message = "; ".join(error.messages)
        context = _cell_context(task, key, error=message, attempted=raw)
        return render("tasks/_cell_editor.html", status=422, **context)
    except PermissionDenied:
        abort(403)
    db.session.commit()
    task = task_or_gone(task_id)
    response = render("tasks/_cell.html", **_cell_context(task, key), saved=bool(changes))
    # The row may now belong to another group or bucket: the lists refresh themselves.
    return add_trigger(response, changed=bool(changes) and key != "title")

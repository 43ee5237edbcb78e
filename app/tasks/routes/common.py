"""What the task views share: reading the filters, building each container's context, and
answering an action with the fragment it came from (`?view=`)."""

import json

from flask import abort, g, redirect, request, url_for

from app.configuration import services as config
from app.core.render import is_htmx, render
from app.projects import services as projects
from app.tasks import permissions, queries
from app.tasks.fields import PRIORITY_LABELS, PRIORITY_VARIANTS, SPECS

VIEWS = ("mine", "list", "board")
CONTAINERS = {
    "mine": "tasks/_mine.html",
    "list": "tasks/_list.html",
    "board": "tasks/_board.html",
    "panel": "tasks/_panel.html",
}
TARGETS = {
    "mine": "tasks-mine",
    "list": "tasks-list",
    "board": "tasks-board",
    "panel": "panel-tasks",
}


def current_view(default: str = "mine") -> str:
    view = request.values.get("view") or default
    return view if view in CONTAINERS else default


def filters():
    return queries.TaskFilters.from_args(request.args)


def shared_context() -> dict:
    """What every task fragment uses to draw rows and cards."""
    return {
        "priority_labels": PRIORITY_LABELS,
        "priority_variants": PRIORITY_VARIANTS,
        "statuses": {e.key: e for e in queries.status_entries()},
        "specs": SPECS,
        "today_date": queries.studio_today(g.membership),
        "can_delete": lambda task: permissions.can_delete(g.membership, task),
    }


def view_args(view: str, flt, project_id=None) -> dict:
    """The URL arguments an action inside `view` carries, so its answer matches the view."""
    args = {"view": view}
    if view in ("list", "board"):
        args |= flt.args()
    if project_id is not None:
        args["project_id"] = str(project_id)
    return args


def mine_context() -> dict:
    return {
        "view": "mine",
        "buckets": queries.my_task_buckets(g.membership, limit=50),
        "bucket_labels": dict(queries.BUCKETS),
        "action_args": {"view": "mine"},
        "container_url": url_for("tasks.index", view="mine"),
    }


def list_context(flt) -> dict:
    result = queries.tasks_list(g.membership, flt)
    return {
        "view": "list",
        "filters": flt,
        "results": result,
        "progress": result.progress,
        "people": queries.assignable_people(),
        "action_args": view_args("list", flt),
        "container_url": url_for("tasks.index", view="list", **flt.args()),
    }


def board_context(flt) -> dict:
    board = queries.board(g.membership, flt)
    return {
        "view": "board",
        "filters": flt,
        "board": board,
        "progress": board.progress,
        "action_args": view_args("board", flt),
        "container_url": url_for("tasks.index", view="board", **flt.args()),
        "targets": _targets(board),
    }


def _targets(board) -> dict:
    """{status_key: [keys it may move to]} for the cards' "move to" menus."""
    entries = [c.entry for c in board.columns]
    return {
        source.key: [
            t.key for t in entries if t.key != source.key and config.can_transition(source, t)
        ]
        for source in entries
    }


def panel_context(project) -> dict:
    from app.tasks import task_templates

    board = queries.board(g.membership, project_id=project.id, per_column=200)
    open_total, overdue = queries.project_counts(project.id, queries.studio_today(g.membership))
    done = sum(c.total for c in board.columns if c.entry.is_final)
    return {
        "view": "panel",
        "project": project,
        "board": board,
        "progress": board.progress,
        "open_total": open_total,
        "overdue": overdue,
        "done_percent": round(100 * done / board.total) if board.total else 0,
        "people": queries.assignable_people(project.id),
        "task_templates": task_templates.templates(),
        "action_args": {"view": "panel", "project_id": str(project.id)},
        "container_url": url_for("tasks.project_panel", project_id=project.id),
        "targets": _targets(board),
    }


def container_context(view: str, project_id=None) -> dict:
    if view == "panel":
        project = projects.get_project(g.membership, project_id or request.values.get("project_id"))
        if project is None:
            abort(404)
        return shared_context() | panel_context(project)
    flt = filters()
    builder = {"mine": lambda: mine_context(), "list": lambda: list_context(flt)}.get(
        view, lambda: board_context(flt)
    )
    return shared_context() | builder()


def respond(view: str, *, status: int = 200, toast=None, undo=None, project_id=None):
    """The fragment `view` came from (HTMX), or back to its page (a plain form post)."""
    if not is_htmx():
        if view == "panel":
            pid = project_id or request.values.get("project_id")
            return redirect(f"/projects/{pid}?open=tasks")  # the hub (app/projects/routes/hub.py)
        return redirect(url_for("tasks.index", **view_args(view, filters())))
    response = render(
        CONTAINERS[view], CONTAINERS[view], status=status, **container_context(view, project_id)
    )
    return add_trigger(response, toast=toast, undo=undo)


def add_trigger(response, *, toast=None, undo=None, changed: bool = False):
    """HX-Trigger: a toast (with an undo button), and "tasks-changed" for the other lists."""
    trigger = json.loads(response.headers.get("HX-Trigger") or "{}")
    if toast:
        message, level = toast if isinstance(toast, tuple) else (toast, "success")
        trigger["toast"] = {"message": str(message), "level": level}
        if undo:
            trigger["toast"]["undo"] = {"url": url_for("tasks.undo"), "token": undo}
    if changed:
        trigger["tasks-changed"] = True
    if trigger:
        response.headers["HX-Trigger"] = json.dumps(trigger)
    return response

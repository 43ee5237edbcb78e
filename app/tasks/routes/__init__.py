"""משימות: one blueprint; each part lives in its own module.

    views.py      /tasks (my tasks, the grouped list, the board), quick add, inline cells
    detail.py     /tasks/<id> (the side panel: every field, checklist, reminders, dependencies)
    actions.py    tick, move on the board, reorder, delete and bulk actions with undo
    panel.py      /tasks/project/<id>/panel (the project hub's tasks panel) and task templates

Every action answers with the fragment it came from (`?view=mine|list|board|panel`), so one
endpoint serves the list, the board and the hub panel.
"""

import json

from flask import Blueprint, g, make_response, request
from flask_babel import gettext as _

from app.core.errors import render_error
from app.tasks import queries

bp = Blueprint("tasks", __name__, url_prefix="/tasks")


class TaskGone(Exception):
    """The task is not there (deleted meanwhile, or not the member's to see)."""


def task_or_gone(task_id):
    task = queries.get_task(g.membership, task_id)
    if task is None:
        raise TaskGone()
    return task


@bp.errorhandler(TaskGone)
def _task_gone(_error):
    """Editing a task someone else deleted meanwhile: say so, and refresh the lists."""
    message = _("המשימה הזו כבר לא קיימת: ייתכן שמישהו אחר מחק אותה בינתיים. הרשימה רועננה.")
    body, code = render_error(404, message)
    response = make_response(body, code)
    if request.headers.get("HX-Request"):
        response.headers["HX-Trigger"] = json.dumps(
            {"toast": {"message": message, "level": "warning"}, "tasks-changed": True}
        )
    return response


from app.tasks.routes import actions, checklist, detail, panel, views  # noqa: E402,F401

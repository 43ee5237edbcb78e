"""לוח בקרה: the landing page after sign-in: my tasks (overdue, today, this week), my projects
with their phase and next deadline, recent activity in them, and a new studio's first steps.

Each card is also a fragment (its root's id in HX-Target): the cards refresh themselves when
the realtime topics "tasks" and "projects" announce a change.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, g, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.core.navigation import register_nav
from app.core.permissions import member_of_tenant, public, signed_in
from app.core.render import is_htmx
from app.dashboard import queries
from app.projects import permissions as project_permissions
from app.projects.services import team_of
from app.tasks.fields import PRIORITY_LABELS
from app.tasks.queries import my_task_buckets, visible_projects

bp = Blueprint("dashboard", __name__)

TASKS_PER_BUCKET = 5
CARDS = {
    "dashboard-tasks": "dashboard/_my_tasks.html",
    "dashboard-projects": "dashboard/_projects.html",
    "dashboard-activity": "dashboard/_activity.html",
}


@bp.get("/")
@public
def home():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    return redirect(url_for("auth.login"))


def studio_today(membership):
    return datetime.now(ZoneInfo(membership.tenant.timezone or "Asia/Jerusalem")).date()


def project_url(project_id) -> str:
    return url_for("projects.hub", project_id=project_id)


def task_url(task) -> str:
    return url_for("tasks.show", task_id=task.id)


def _tasks_context(membership, today) -> dict:
    return {
        "tasks": my_task_buckets(membership, limit=TASKS_PER_BUCKET, today=today),
        "priority_labels": PRIORITY_LABELS,
        "quick_add_projects": visible_projects(membership),
    }


def _projects_context(membership) -> dict:
    config = queries.project_config()
    closed = {key for key, entry in config["project_status"].items() if entry.is_final}
    projects, in_all = queries.my_projects(membership, closed)
    return {
        "projects": projects,
        "projects_in_all": in_all,
        "teams": team_of([row.project.id for row in projects]),
        "phases": config["project_phase"],
        "statuses": config["project_status"],
        "can_create_project": project_permissions.can_create(membership),
    }


@bp.get("/dashboard")
@member_of_tenant()
def index():
    membership = g.membership
    context = {"today": studio_today(membership), "project_url": project_url, "task_url": task_url}
    card = request.headers.get("HX-Target") if is_htmx() else None
    if card == "dashboard-tasks":
        context |= _tasks_context(membership, context["today"])
    elif card == "dashboard-projects":
        context |= _projects_context(membership)
    elif card == "dashboard-activity":
        context["activity"] = queries.project_activity(membership)
    else:
        card = None
        context |= _tasks_context(membership, context["today"]) | _projects_context(membership)
        context["activity"] = queries.project_activity(membership)
        context["steps"] = queries.first_steps(membership)
    return render_template(CARDS[card] if card else "dashboard/index.html", **context)


@bp.get("/no-studio")
@signed_in
def no_studio():
    if g.membership is not None:
        return redirect(url_for("dashboard.index"))
    if current_user.is_platform_admin:
        return redirect(url_for("admin.index"))
    return render_template("dashboard/no_studio.html")


register_nav(_l("לוח בקרה"), "dashboard.index", "dashboard", 10, "/dashboard")

"""The project hub's tasks panel (/tasks/project/<id>/panel) and applying a task template to
a project. The panel is registered with the hub's registry here."""

from flask import abort, flash, g, redirect, request
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from app.core.errors import ValidationFailed
from app.core.permissions import member_of_tenant
from app.core.render import is_htmx, render
from app.extensions import db
from app.projects import services as projects
from app.projects.hub import Panel, register_panel
from app.tasks import queries, task_templates
from app.tasks.routes import bp
from app.tasks.routes.common import container_context, respond


def panel_summary(project, membership) -> dict:
    """The hub card: open tasks, and how many are late (one query)."""
    open_total, overdue = queries.project_counts(project.id, queries.studio_today(membership))
    hint = ngettext("משימה אחת באיחור", "%(num)d באיחור", overdue) if overdue else None
    return {"value": open_total, "hint": hint}


register_panel(
    Panel(
        key="tasks",
        title=_l("משימות"),
        icon="tasks",
        order=10,
        summary=panel_summary,
        endpoint="tasks.project_panel",
    )
)


def _project_or_404(project_id):
    return projects.get_project(g.membership, project_id) or abort(404)


@bp.get("/project/<uuid:project_id>/panel")
@member_of_tenant()
def project_panel(project_id):
    project = _project_or_404(project_id)
    if task_templates.ensure_built_ins():
        db.session.commit()  # the built-ins are added lazily: keep them
    context = container_context("panel", project.id)
    return render("tasks/_panel.html", **context)


@bp.post("/project/<uuid:project_id>/templates")
@member_of_tenant()
def apply_template(project_id):
    project = _project_or_404(project_id)
    template = task_templates.get_template(request.form.get("template_id"))
    mode = request.form.get("mode") or "checklist"
    try:
        created = task_templates.apply_template(
            g.membership,
            template,
            project,
            mode=mode,
            assignee=request.form.get("assigned_user_id", ""),
        )
    except ValidationFailed as error:
        db.session.rollback()
        message = " ".join(error.messages)
        if not is_htmx():
            flash(message, "error")
            return redirect(f"/projects/{project_id}?open=tasks")
        return respond("panel", status=422, toast=(message, "error"), project_id=project_id)
    name = template.name
    db.session.commit()
    message = ngettext(
        'התבנית "%(name)s" נוספה: משימה אחת.',
        'התבנית "%(name)s" נוספה: %(num)d משימות.',
        len(created),
        name=name,
    )
    if not is_htmx():
        flash(message, "success")
        return redirect(f"/projects/{project_id}?open=tasks")
    return respond("panel", toast=message, project_id=project_id)

"""Project templates (/projects/templates): the list with usage, a template's rooms, tasks and
payments, editing and retiring templates, the project code prefix, and "save as template" from
a project. Everyone in the studio views and uses templates; changing them needs
permissions.can_manage_templates; the code prefix needs can_manage_settings."""

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.core.errors import PermissionDenied, ValidationFailed
from app.core.permissions import member_of_tenant
from app.core.render import is_htmx, render, with_toast
from app.extensions import db
from app.projects import permissions, services
from app.projects import templates as project_templates
from app.projects.fields import project_display, room_display
from app.projects.models import Project
from app.projects.routes import bp, project_or_404

PAYMENT_TYPE_LABELS = {
    "retainer": _l("מקדמה"),
    "milestone": _l("אבן דרך"),
    "final": _l("תשלום סופי"),
}


def _template_or_404(template_id):
    return project_templates.get_template(template_id) or abort(404)


def _projects_per_template() -> dict:
    """{template id: projects made from it that still exist}, one query."""
    rows = db.session.execute(
        select(Project.template_id, func.count(Project.id))
        .where(Project.template_id.is_not(None))
        .group_by(Project.template_id)
    )
    return dict(rows.all())


def _list_context(**extra) -> dict:
    member = g.membership
    return {
        "templates": project_templates.templates(active_only=False),
        "live_projects": _projects_per_template(),
        "can_manage": permissions.can_manage_templates(member),
        "can_settings": member.has("can_manage_settings"),
        "can_create": permissions.can_create(member),
        "prefix": services.code_prefix(),
        "prefix_error": None,
        "display": project_display,
    } | extra


@bp.get("/templates", endpoint="templates")
@member_of_tenant()
def templates_page():
    context = _list_context()
    db.session.commit()  # the built-ins (and the numbering row) may have just been added
    return render("projects/templates.html", **context)


@bp.post("/templates/code-prefix")
@member_of_tenant(flag="can_manage_settings")
def set_code_prefix():
    try:
        services.set_code_prefix(g.membership, request.form.get("prefix", ""))
    except ValidationFailed as error:
        db.session.rollback()
        context = _list_context(
            prefix=request.form.get("prefix", ""), prefix_error=" ".join(error.messages)
        )
        return render(
            "projects/templates.html", "projects/templates_prefix.html", status=422, **context
        )
    except PermissionDenied:
        abort(403)
    prefix = services.code_prefix()
    db.session.commit()
    message = _("מעכשיו פרויקטים חדשים יקבלו קוד שמתחיל ב-%(prefix)s.", prefix=prefix)
    if not is_htmx():
        flash(message, "success")
        return redirect(url_for("projects.templates"))
    response = render("projects/templates_prefix.html", **_list_context())
    return with_toast(response, message)


def _show_context(template, **extra) -> dict:
    return {
        "template": template,
        "task_titles": {t.get("id"): t.get("title") for t in template.tasks or []},
        "payment_types": PAYMENT_TYPE_LABELS,
        "can_manage": permissions.can_manage_templates(g.membership),
        "can_create": permissions.can_create(g.membership),
        "display": project_display,
        "room_display": room_display,
        "errors": {},
    } | extra


@bp.get("/templates/<uuid:template_id>", endpoint="template")
@member_of_tenant()
def template_page(template_id):
    template = _template_or_404(template_id)
    return render("projects/templates_show.html", **_show_context(template))


@bp.post("/templates/<uuid:template_id>", endpoint="update_template")
@member_of_tenant()
def update_template(template_id):
    template = _template_or_404(template_id)
    if not permissions.can_manage_templates(g.membership):
        abort(403)
    form = request.form
    # A built-in keeps its name and description: only switching it on or off.
    name = template.name if template.is_built_in else form.get("name", "")
    description = (
        template.description
        if template.is_built_in
        else (form.get("description") or "").strip()[:2000] or None
    )
    try:
        project_templates.update_template(
            g.membership,
            template,
            name=name,
            description=description,
            is_active=form.get("is_active") == "1",
        )
    except ValidationFailed as error:
        db.session.rollback()
        attempted = {"name": form.get("name", ""), "description": form.get("description", "")}
        context = _show_context(
            _template_or_404(template_id), errors=error.errors, attempted=attempted
        )
        return render("projects/templates_show.html", status=422, **context)
    db.session.commit()
    flash(_("התבנית נשמרה."), "success")
    return redirect(url_for("projects.template", template_id=template_id))


@bp.post("/templates/<uuid:template_id>/delete", endpoint="delete_template")
@member_of_tenant()
def delete_template(template_id):
    template = _template_or_404(template_id)
    name = template.name
    try:
        project_templates.delete_template(g.membership, template)
    except PermissionDenied:
        abort(403)
    except ValidationFailed as error:
        db.session.rollback()
        flash(" ".join(error.messages), "error")
        return redirect(url_for("projects.template", template_id=template_id))
    db.session.commit()
    flash(_('התבנית "%(name)s" נמחקה.', name=name), "success")
    return redirect(url_for("projects.templates"))


@bp.post("/<uuid:project_id>/save-as-template")
@member_of_tenant()
def save_as_template(project_id):
    """The hub's "save as template": its rooms, tasks and payments become a new template."""
    project = project_or_404(project_id)
    back = url_for("projects.hub", project_id=project.id)
    try:
        template = project_templates.save_as_template(
            g.membership,
            project,
            request.form.get("name") or project.name,
            (request.form.get("description") or "").strip()[:2000] or None,
        )
    except PermissionDenied:
        abort(403)
    except ValidationFailed as error:
        db.session.rollback()
        message = " ".join(error.messages)
        if is_htmx():
            # Not a 422: nothing in the hub should be replaced, the toast says what is wrong.
            response = render("projects/_undo_result.html", status=400, ok=False)
            return with_toast(response, message, "error")
        flash(message, "error")
        return redirect(back)
    name, url = template.name, url_for("projects.template", template_id=template.id)
    db.session.commit()
    flash(_('התבנית "%(name)s" נשמרה.', name=name), "success")
    if is_htmx():
        response = render("projects/_undo_result.html", ok=True)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url)


from app.projects.routes import template_edit  # noqa: E402,F401  (editing contents)

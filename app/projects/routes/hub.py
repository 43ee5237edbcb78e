"""The project hub (/projects/<id>): the quick info bar (every field edited in place, the phase
stepper), the summary cards with their expandable panels (open ones kept in `?open=`), the team
and activity panels, archive / restore / delete.

Panels are registered in app.projects.hub; the page includes the open ones by calling their
endpoint's view (no second round trip, no flash of empty panels).
"""

from types import SimpleNamespace

from flask import abort, current_app, flash, g, make_response, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BuildError

from app.configuration import services as config
from app.contacts.models import Client
from app.core.errors import ValidationFailed
from app.core.fieldspec import FieldSpec, config_choices, config_entries
from app.core.permissions import member_of_tenant
from app.core.render import is_htmx, render, with_toast
from app.extensions import db
from app.projects import hub as registry
from app.projects import panels, permissions, services, vocab
from app.projects.fields import PROJECT_FIELDS, PROJECT_SPECS, project_display, visible_specs
from app.projects.routes import bp, project_or_404

# The quick info bar's fields, all edited in place (the phase has its own stepper route).
INFO_KEYS = (
    "name",
    "client_id",
    "status_key",
    "type_key",
    "priority",
    "is_vip",
    "address",
    "city",
    "area",
    "budget",
    "start_date",
    "expected_end_date",
)
CLIENT_SPEC = FieldSpec("client_id", _l("לקוח"), "choice")
SPECS = PROJECT_SPECS | {"client_id": CLIENT_SPEC}


def entry_of(kind: str, key: str | None):
    """A configuration entry (name and colour) by key, from the per-request cache."""
    return next((e for e in config_entries(kind) if e.key == key), None) if key else None


def hub_url(project, **args) -> str:
    return url_for("projects.hub", project_id=project.id, **args)


def _keys(*, editing: bool) -> set:
    specs = visible_specs(PROJECT_FIELDS, g.membership, editing=editing)
    return {s.key for s in specs} | {"client_id"}


# ---------------------------------------------------------------------------------------------
# Contexts: the info bar, the cards, the whole page
# ---------------------------------------------------------------------------------------------


def phase_context(project) -> dict:
    phases = config_entries("project_phase")
    return {
        "project": project,
        "phases": [e for e in phases if e.is_active or e.key == project.phase_key],
    }


def info_context(project) -> dict:
    client = db.session.get(Client, project.client_id) if project.client_id else None
    return phase_context(project) | {
        "client": client,
        "team": panels.project_team(project),
        "visible_keys": _keys(editing=False),
        "editable_keys": _keys(editing=True),
        "specs": SPECS,
        "entry_of": entry_of,
        "priority_variants": vocab.PRIORITY_VARIANTS,
        "display": project_display,
    }


def _panel_url(panel, project) -> str | None:
    try:
        return url_for(panel.endpoint, project_id=project.id)
    except BuildError:  # a module registered its card before its route exists
        return None


def cards_context(project, open_keys) -> dict:
    cards = []
    for panel in registry.panels_for(g.membership):
        url = _panel_url(panel, project)
        if url is None:
            continue
        summary = panel.summary(project, g.membership) or {}
        cards.append(
            SimpleNamespace(
                key=panel.key,
                title=panel.title,
                icon=panel.icon,
                url=url,
                value=summary.get("value"),
                hint=summary.get("hint"),
                is_open=panel.key in open_keys,
            )
        )
    return {"project": project, "cards": cards, "open_keys": open_keys}


def _panel_markup(panel, project) -> Markup | None:
    """The panel's fragment, rendered by its own view inside this request; None when the view
    refuses or answers with a whole page (the slot then loads it with htmx)."""
    view = current_app.view_functions.get(panel.endpoint)
    if view is None:
        return None
    try:
        response = make_response(view(project_id=project.id))
    except HTTPException:
        return None
    if response.status_code != 200:
        return None
    html = response.get_data(as_text=True)
    if "<html" in html[:1000].lower():
        return None
    return Markup(html)


def _template_url(project) -> str | None:
    if not permissions.can_manage_templates(g.membership):
        return None
    try:
        return url_for("projects.save_as_template", project_id=project.id)
    except BuildError:
        return None


# ---------------------------------------------------------------------------------------------
# The page and its live parts
# ---------------------------------------------------------------------------------------------


@bp.get("/<uuid:project_id>")
@member_of_tenant()
def hub(project_id):
    project = project_or_404(project_id)
    open_keys = registry.open_keys(request.args.get("open"), g.membership)
    context = info_context(project) | cards_context(project, open_keys)
    panel_html = {}
    for key in open_keys:
        panel = registry.panel(key)
        panel_html[key] = _panel_markup(panel, project)
    return render(
        "projects/hub.html",
        **context,
        panel_html=panel_html,
        can_archive=permissions.can_archive(g.membership),
        can_delete=permissions.can_delete(g.membership),
        template_url=_template_url(project),
    )


@bp.get("/<uuid:project_id>/info")
@member_of_tenant()
def hub_info(project_id):
    """The quick info bar alone (realtime refresh)."""
    project = project_or_404(project_id)
    return render("projects/_hub_info.html", **info_context(project))


@bp.get("/<uuid:project_id>/cards")
@member_of_tenant()
def hub_cards(project_id):
    """The summary cards alone (realtime refresh); hub.js marks the open ones again."""
    project = project_or_404(project_id)
    open_keys = registry.open_keys(request.args.get("open"), g.membership)
    return render("projects/_hub_cards.html", **cards_context(project, open_keys))


# ---------------------------------------------------------------------------------------------
# Inline edit of one info-bar field
# ---------------------------------------------------------------------------------------------


def _options(project, key: str) -> list:
    spec = SPECS[key]
    if key == "client_id":
        rows = db.session.execute(
            select(Client.id, Client.name, Client.archived_at).order_by(Client.name)
        )
        return [
            (str(i), name)
            for i, name, archived in rows
            if archived is None or i == project.client_id
        ]
    if key == "status_key":
        targets = config.allowed_targets("project_status", project.status_key)
        options = [(e.key, e.label) for e in targets]
        if project.status_key and project.status_key not in {value for value, _label in options}:
            current = entry_of("project_status", project.status_key)
            options.insert(
                0, (project.status_key, current.label if current else project.status_key)
            )
        return options
    if spec.type == "config":
        return config_choices(spec.config_kind, getattr(project, key))
    if spec.type == "choice":
        return [(k, str(v)) for k, v in spec.choices.items()]
    if spec.type == "bool":
        return [("true", _("כן")), ("false", _("לא"))]
    return []


def field_context(project, key: str, **extra) -> dict:
    if key not in INFO_KEYS or key not in _keys(editing=False):
        abort(404)
    return info_context(project) | {"key": key, "spec": SPECS[key]} | extra


def editor_context(project, key: str, **extra) -> dict:
    context = field_context(project, key)  # unknown or hidden field: 404
    if key not in _keys(editing=True):
        abort(403)
    current = getattr(project, key)
    return (
        context
        | {
            "obj": project,
            "field_id": f"hub-{key}-input",
            "current": str(current) if key == "client_id" and current else current,
            "options": _options(project, key),
            "save_url": url_for("projects.hub_save_field", project_id=project.id, key=key),
            "cancel_url": url_for("projects.hub_field", project_id=project.id, key=key),
            "target": "closest dd",
            "object_name": project.name,
        }
        | extra
    )


@bp.get("/<uuid:project_id>/field/<key>")
@member_of_tenant()
def hub_field(project_id, key):
    """A field's editor (?edit=1) or its value (after Esc)."""
    project = project_or_404(project_id)
    if request.args.get("edit"):
        return render("projects/_hub_field_editor.html", **editor_context(project, key))
    return render("projects/_hub_field.html", **field_context(project, key))


@bp.post("/<uuid:project_id>/field/<key>")
@member_of_tenant()
def hub_save_field(project_id, key):
    project = project_or_404(project_id)
    editor_context(project, key)  # 404 / 403 before anything changes
    raw = request.form.get("value", "")
    try:
        changes = services.update_project(g.membership, project, {key: raw})
    except ValidationFailed as error:
        db.session.rollback()
        message = "; ".join(error.messages)
        if not is_htmx():
            flash(message, "error")
            return redirect(hub_url(project))
        project = project_or_404(project_id)  # the stored (old) value
        context = editor_context(project, key, error=message, attempted=raw)
        return render("projects/_hub_field_editor.html", status=422, **context)
    db.session.commit()
    if not is_htmx():
        return redirect(hub_url(project))
    return render("projects/_hub_field.html", **field_context(project, key, saved=bool(changes)))


@bp.post("/<uuid:project_id>/phase")
@member_of_tenant()
def hub_phase(project_id):
    """The phase stepper: move to the clicked phase if the configuration allows it."""
    project = project_or_404(project_id)
    raw = request.form.get("phase_key", "")
    try:
        changes = services.update_project(g.membership, project, {"phase_key": raw})
    except ValidationFailed as error:
        db.session.rollback()
        message = " ".join(error.messages)
        if not is_htmx():
            flash(message, "error")
            return redirect(hub_url(project))
        project = project_or_404(project_id)
        response = render("projects/_hub_phase.html", status=422, **phase_context(project))
        return with_toast(response, message, "error")
    db.session.commit()
    if not is_htmx():
        return redirect(hub_url(project))
    response = render("projects/_hub_phase.html", **phase_context(project))
    if not changes:
        return response
    entry = entry_of("project_phase", project.phase_key)
    return with_toast(response, _("השלב עודכן: %(phase)s", phase=entry.label if entry else raw))


# ---------------------------------------------------------------------------------------------
# Team and activity panels
# ---------------------------------------------------------------------------------------------


def team_context(project) -> dict:
    can_manage = panels.can_manage_team(g.membership)
    return {"project": project, "can_manage": can_manage} | panels.team_people(project)


@bp.get("/<uuid:project_id>/team/panel")
@member_of_tenant()
def team_panel(project_id):
    project = project_or_404(project_id)
    return render("projects/_panel_team.html", **team_context(project))


@bp.post("/<uuid:project_id>/team")
@member_of_tenant()
def team_update(project_id):
    project = project_or_404(project_id)
    if not panels.can_manage_team(g.membership):
        abort(403)
    current = {str(u.id) for u in panels.project_team(project)}
    user_id = request.form.get("user_id", "")
    adding = request.form.get("action") == "add"
    wanted = current | {user_id} if adding else current - {user_id}
    try:
        changed = services.set_team(g.membership, project, wanted)
    except ValidationFailed as error:
        db.session.rollback()
        project = project_or_404(project_id)
        g.pop("_project_team", None)
        response = render("projects/_panel_team.html", status=422, **team_context(project))
        return with_toast(response, " ".join(error.messages), "error")
    db.session.commit()
    g.pop("_project_team", None)
    if not is_htmx():
        return redirect(hub_url(project, open="team"))
    response = render("projects/_panel_team.html", **team_context(project))
    if changed:
        message = _("נוסף/ה לצוות הפרויקט.") if adding else _("הוסר/ה מצוות הפרויקט.")
        with_toast(response, message)
    return response


@bp.get("/<uuid:project_id>/activity/panel")
@member_of_tenant()
def activity_panel(project_id):
    """The project's activity; ?offset=N answers with the next entries only ("load more")."""
    project = project_or_404(project_id)
    offset = max(request.args.get("offset", 0, type=int), 0)
    entries, more = panels.project_activity(project, g.membership, offset)
    context = {
        "project": project,
        "entries": entries,
        "more": more,
        "next_offset": offset + len(entries),
    }
    if offset:
        return render("projects/_panel_activity.html", **context, only_entries=True)
    return render("projects/_panel_activity.html", **context)


# ---------------------------------------------------------------------------------------------
# Archive, restore, delete
# ---------------------------------------------------------------------------------------------


@bp.post("/<uuid:project_id>/archive")
@member_of_tenant()
def hub_archive(project_id):
    project = project_or_404(project_id)
    archived = request.form.get("archived", "1") == "1"
    services.set_archived(g.membership, project, archived)  # no permission: 403
    name = project.name
    db.session.commit()
    if archived:
        flash(_("הפרויקט %(name)s הועבר לארכיון.", name=name), "success")
    else:
        flash(_("הפרויקט %(name)s שוחזר מהארכיון.", name=name), "success")
    return redirect(hub_url(project))


@bp.post("/<uuid:project_id>/delete")
@member_of_tenant()
def hub_delete(project_id):
    project = project_or_404(project_id)
    permissions.require(
        permissions.can_delete(g.membership), _("רק בעלי הסטודיו יכולים למחוק פרויקט.")
    )
    name = project.name
    try:
        services.delete_project(g.membership, project, request.form.get("confirm_text", ""))
    except ValidationFailed as error:
        db.session.rollback()
        flash(" ".join(error.messages), "error")
        return redirect(hub_url(project))
    db.session.commit()
    flash(_("הפרויקט %(name)s נמחק לצמיתות.", name=name), "success")
    return redirect(url_for("projects.index"))

"""The create panel of the projects list: a new project from scratch (every field, under "more
details") or from a template (rooms, tasks and payments toggles, per-room and per-task overrides).
Also a page (/projects/new) for when JavaScript is off or the link opens in a new tab."""

from flask import abort, g, redirect, request, url_for
from flask_babel import gettext as _

from app.core.forms import run_service
from app.core.permissions import member_of_tenant
from app.core.render import is_htmx, render, with_toast
from app.custom_fields.component import custom_field_form
from app.extensions import db
from app.labels import services as labels
from app.projects import permissions, queries, services
from app.projects import templates as project_templates
from app.projects.forms import CLIENT_KEY, CODE_KEY, project_form_class
from app.projects.routes import bp

# The fields the panel shows first; the others wait under "more details" (from scratch only).
BASIC_KEYS = ("name", CLIENT_KEY, "start_date", "type_key")


def _require_create() -> None:
    if not permissions.can_create(g.membership):
        abort(403)


def _submitted():
    """What the panel was sent: the POST, or a GET that switched the template (keeps input)."""
    if request.method == "POST":
        return request.form
    return request.args if "name" in request.args else None


def _template_from(data):
    raw = (data or {}).get("template_id") or request.args.get("template")
    if not raw:
        return None
    template = project_templates.get_template(raw)
    return template if template is not None and template.is_active else None


def _panel_context(form, template, data, **extra) -> dict:
    submitted = data is not None
    # The template's choices count only if that template's section was on the form already.
    shown = submitted and template is not None and data.get("template_shown") == str(template.id)
    chosen_members = data.getlist("member_ids") if submitted else [str(g.membership.user_id)]
    context = {
        "form": form,
        "template": template,
        "templates": project_templates.templates(),
        "basic_keys": BASIC_KEYS,
        "custom": custom_field_form("project", data=data if submitted else None),
        "available_labels": labels.available_labels("project"),
        "chosen_labels": data.getlist("label_ids") if submitted else [],
        "team_choices": queries.team_choices(),
        "chosen_members": chosen_members,
        "next_code": queries.peek_next_code(),
        # From a template: which parts are on, and the per-item overrides (all on by default).
        "include": {
            part: (data.get(f"include_{part}") == "1") if shown else True
            for part in ("rooms", "tasks", "payments")
        },
        "excluded_rooms": data.getlist("exclude_room") if shown else [],
        "excluded_tasks": data.getlist("exclude_task") if shown else [],
        "room_names": {k[10:]: v for k, v in data.items() if k.startswith("room_name_")}
        if shown
        else {},
        "task_assignees": {k[14:]: v for k, v in data.items() if k.startswith("task_assignee_")}
        if shown
        else {},
    } | extra
    context["overrides_open"] = _overrides_open(context)
    return context


def _overrides_open(context) -> bool:
    """Open the overrides section when something in it differs from the template."""
    template = context["template"]
    if template is None:
        return False
    renamed = any(
        context["room_names"].get(str(room.get("order")), room.get("name")) != room.get("name")
        for room in template.rooms or []
    )
    chosen = any(context["task_assignees"].values())
    return bool(renamed or chosen or context["excluded_rooms"] or context["excluded_tasks"])


def _form(data):
    form = project_form_class(g.membership)(formdata=data)
    if data is None:
        for key, kind in (("status_key", "project_status"), ("phase_key", "project_phase")):
            if key in form:
                from app.configuration import services as config

                default = config.default_entry(kind)
                form[key].data = default.key if default else ""
    return form


@bp.get("/new")
@member_of_tenant()
def new():
    _require_create()
    data = _submitted()
    template = _template_from(data)
    form = _form(data)
    if template is not None and template.type_key and "type_key" in form and not form.type_key.data:
        form.type_key.data = template.type_key
    context = _panel_context(form, template, data)
    db.session.commit()  # the built-in templates may have just been added for this studio
    return render("projects/new.html", "projects/_panel.html", **context)


def _overrides(template) -> dict:
    """The per-room and per-task choices of the template section; all of the template when
    that section was not on the form (a template chosen and sent at once, without JS)."""
    form = request.form
    if form.get("template_shown") != str(template.id):
        return {}
    renamed = {}
    for room in template.rooms or []:
        key = str(room.get("order"))
        name = " ".join((form.get(f"room_name_{key}") or "").split())
        if name and name != room.get("name"):
            renamed[key] = name
    assignees = {}
    for task in template.tasks or []:
        chosen = form.get(f"task_assignee_{task.get('id')}")
        if chosen:
            assignees[task.get("id")] = chosen
    return {
        "include_rooms": form.get("include_rooms") == "1",
        "include_tasks": form.get("include_tasks") == "1",
        "include_payments": form.get("include_payments") == "1",
        "excluded_rooms": form.getlist("exclude_room"),
        "renamed_rooms": renamed,
        "excluded_tasks": form.getlist("exclude_task"),
        "task_assignees": assignees,
    }


def _create(form, template, custom):
    member_ids = request.form.getlist("member_ids")
    if template is None:
        data = form.service_data()
        return run_service(
            form, lambda: services.create_project(g.membership, data, member_ids=member_ids)
        )
    data = form.service_data(keys=(*BASIC_KEYS, CODE_KEY))
    return run_service(
        form,
        lambda: project_templates.create_from_template(
            g.membership, template, data, member_ids=member_ids, **_overrides(template)
        ),
    )


def _attach_labels(project) -> None:
    for label_id in request.form.getlist("label_ids"):
        label = labels.get_label(label_id)
        if label is not None and label.is_active and label.applies_to("project"):
            labels.attach_label(g.membership, label, "project", project.id, project.name)


@bp.post("/new")
@member_of_tenant()
def create():
    _require_create()
    template = _template_from(request.form)
    if request.form.get("template_id") and template is None:
        abort(404)  # another studio's template, or one retired meanwhile
    form = _form(request.form)
    custom = custom_field_form("project", data=request.form)
    custom_errors = custom.validate() if template is None else {}
    ok, project = _create(form, template, custom)
    if ok and custom_errors:
        db.session.rollback()  # the custom fields are wrong: nothing is created
    elif ok:
        if template is None:
            custom.save(g.membership, entity_id=project.id, entity=project, record=False)
            _attach_labels(project)
        name, hub_url = project.name, url_for("projects.hub", project_id=project.id)
        code = project.code
        db.session.commit()
        if not is_htmx():
            return redirect(hub_url)
        response = render("projects/_created.html", name=name, code=code, hub_url=hub_url)
        response.headers["HX-Trigger-After-Settle"] = "projects-changed"
        return with_toast(response, _("הפרויקט %(name)s נוצר.", name=name))
    context = _panel_context(form, template, request.form, custom=custom)
    return render("projects/new.html", "projects/_panel.html", status=422, **context)

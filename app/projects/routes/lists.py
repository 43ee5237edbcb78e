"""The projects list (/projects): table or cards, search and filters in the URL, sort, pages,
saved views, and bulk actions with undo. The create panel lives in create.py."""

import json

from flask import abort, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from app.core.errors import PermissionDenied, ValidationFailed
from app.core.fieldspec import config_choices, config_entries
from app.core.permissions import member_of_tenant
from app.core.render import is_htmx, render, with_toast
from app.core.undo import make_undo_token, read_undo_token
from app.custom_fields import queries as custom_queries
from app.extensions import db
from app.labels import services as labels
from app.projects import bulk, permissions, queries, services, vocab
from app.projects.fields import project_display
from app.projects.routes import bp
from app.saved_views import services as saved_views

VIEW_PAGE_KEY = "projects"
SORT_LABELS = {
    "created_at": _l("תאריך יצירה"),
    "name": _l("שם"),
    "code": _l("קוד"),
    "client": _l("לקוח"),
    "status": _l("סטטוס"),
    "phase": _l("שלב"),
    "priority": _l("עדיפות"),
    "start_date": _l("תאריך התחלה"),
    "expected_end_date": _l("סיום צפוי"),
    "budget": _l("תקציב"),
}

labels.register_label_target(
    "project",
    load=lambda entity_id: services.get_project(g.membership, entity_id),
    # Whoever sees a project works in it (permissions.py); `load` already checks that.
    can_edit=lambda membership, project: project is not None,
)


def _colours(kind: str) -> dict:
    return {e.key: e.color for e in config_entries(kind)}


def list_context() -> dict:
    member = g.membership
    financials = member.has("can_view_financials")
    filter_defs = custom_queries.definitions("project", flag="filter")
    list_defs = custom_queries.definitions("project", flag="list")
    filters = queries.ProjectFilters.from_args(request.args, financials=financials)
    results = queries.list_projects(
        filters, member, list_definitions=list_defs, filter_definitions=filter_defs
    )
    return {
        "filters": filters,
        "results": results,
        "list_defs": list_defs,
        "filter_defs": filter_defs,
        "show_budget": financials,
        "available_labels": labels.available_labels("project"),
        "status_choices": config_choices("project_status"),
        "phase_choices": config_choices("project_phase"),
        "type_choices": config_choices("project_type"),
        "priority_choices": list(vocab.PRIORITY_LABELS.items()),
        "priority_variants": vocab.PRIORITY_VARIANTS,
        "status_colours": _colours("project_status"),
        "phase_colours": _colours("project_phase"),
        "final_statuses": {e.key for e in config_entries("project_status") if e.is_final},
        "client_choices": queries.clients_with_projects(member),
        "team_choices": queries.team_choices(),
        "sort_choices": [
            (key, label)
            for key, label in SORT_LABELS.items()
            if key not in queries.FINANCIAL_SORTS or financials
        ],
        "display": project_display,
        "can_create": permissions.can_create(member),
        "can_archive": permissions.can_archive(member),
        "list_url": url_for("projects.index", **filters.args()),
    }


@bp.get("")
@member_of_tenant()
def index():
    context = list_context()
    if is_htmx() and request.headers.get("HX-Target") == "projects-list":
        return render("projects/index.html", "projects/_list.html", **context)
    new_args = {"template": request.args.get("template")} if request.args.get("template") else {}
    context |= {
        "views": saved_views.views_for(g.membership, VIEW_PAGE_KEY),
        "open_panel": request.args.get("new") == "1" and context["can_create"],
        "new_url": url_for("projects.new", **new_args),
    }
    return render("projects/index.html", **context)


# ---------------------------------------------------------------------------------------------
# Bulk actions and undo
# ---------------------------------------------------------------------------------------------

DONE_MESSAGES = {
    "assign": lambda n: ngettext("השיבוץ נוסף לפרויקט אחד.", "השיבוץ נוסף ל-%(num)d פרויקטים.", n),
    "unassign": lambda n: ngettext(
        "השיבוץ הוסר מפרויקט אחד.", "השיבוץ הוסר מ-%(num)d פרויקטים.", n
    ),
    "status": lambda n: ngettext(
        "הסטטוס עודכן בפרויקט אחד.", "הסטטוס עודכן ב-%(num)d פרויקטים.", n
    ),
    "phase": lambda n: ngettext("השלב עודכן בפרויקט אחד.", "השלב עודכן ב-%(num)d פרויקטים.", n),
    "label_add": lambda n: ngettext(
        "התגית נוספה לפרויקט אחד.", "התגית נוספה ל-%(num)d פרויקטים.", n
    ),
    "label_remove": lambda n: ngettext(
        "התגית הוסרה מפרויקט אחד.", "התגית הוסרה מ-%(num)d פרויקטים.", n
    ),
    "archive": lambda n: ngettext(
        "פרויקט אחד הועבר לארכיון.", "%(num)d פרויקטים הועברו לארכיון.", n
    ),
    "restore": lambda n: ngettext("פרויקט אחד שוחזר.", "%(num)d פרויקטים שוחזרו.", n),
}


def _selected_ids() -> list:
    if request.form.get("select_all") == "1":
        filters = queries.ProjectFilters.from_args(request.args)
        defs = custom_queries.definitions("project", flag="filter")
        return [str(i) for i in queries.all_matching_ids(filters, g.membership, defs)]
    return request.form.getlist("ids")


def _list_response(message: str, level: str = "success", undo_token: str | None = None):
    if not is_htmx():
        return redirect(url_for("projects.index", **request.args.to_dict(flat=False)))
    response = render("projects/index.html", "projects/_list.html", **list_context())
    response = with_toast(response, message, level)
    if undo_token:
        trigger = json.loads(response.headers["HX-Trigger"])
        trigger["toast"]["undo"] = {"url": url_for("projects.bulk_undo"), "token": undo_token}
        response.headers["HX-Trigger"] = json.dumps(trigger)
    return response


def _refusals(refused: list) -> str:
    shown = "; ".join(f"{p.code} {p.name}: {m}" for p, m in refused[:3])
    more = len(refused) - 3
    if more > 0:
        shown += " " + ngettext("(ועוד פרויקט אחד)", "(ועוד %(num)d פרויקטים)", more)
    return ngettext("פרויקט אחד לא עודכן: ", "%(num)d פרויקטים לא עודכנו: ", len(refused)) + shown


@bp.post("/bulk")
@member_of_tenant()
def bulk_action():
    action, _sep, value = (request.form.get("action") or "").partition(":")
    try:
        result = bulk.apply(g.membership, _selected_ids(), action, value or None)
    except ValidationFailed as error:
        db.session.rollback()
        return _list_response(" ".join(error.messages), "error")
    except PermissionDenied as error:
        db.session.rollback()
        if not is_htmx():
            abort(403)
        return _list_response(error.message or _("אין לך הרשאה לפעולה הזו."), "error")
    db.session.commit()
    token = make_undo_token(g.membership, result.undo) if result.undo else None
    if result.count == 0 and result.refused:
        return _list_response(_refusals(result.refused), "error")
    if result.count == 0:
        return _list_response(_("לא היה מה לשנות בפרויקטים שנבחרו."), "info")
    message = DONE_MESSAGES[action](result.count)
    if result.refused:
        return _list_response(f"{message} {_refusals(result.refused)}", "warning", token)
    return _list_response(message, undo_token=token)


@bp.post("/bulk/undo")
@member_of_tenant()
def bulk_undo():
    undo = read_undo_token(g.membership, request.form.get("token", ""))
    if undo is None:
        response = render("projects/_undo_result.html", ok=False)
        return with_toast(response, _("כבר מאוחר מדי לבטל את הפעולה."), "warning")
    try:
        count = bulk.revert(g.membership, undo)
    except (ValidationFailed, PermissionDenied):
        db.session.rollback()
        response = render("projects/_undo_result.html", ok=False)
        return with_toast(response, _("הביטול נכשל."), "error")
    db.session.commit()
    response = render("projects/_undo_result.html", ok=True)
    response.headers["HX-Trigger-After-Settle"] = "projects-changed"
    message = ngettext("הפעולה בוטלה (פרויקט אחד).", "הפעולה בוטלה (%(num)d פרויקטים).", count)
    return with_toast(response, message)


# ---------------------------------------------------------------------------------------------
# Saved views
# ---------------------------------------------------------------------------------------------


def _view_url(query: str) -> str:
    return url_for("projects.index") + (f"?{query}" if query else "")


@bp.post("/views")
@member_of_tenant()
def save_view():
    query = request.form.get("query", "")
    try:
        view = saved_views.save_view(
            g.membership,
            VIEW_PAGE_KEY,
            request.form.get("name", ""),
            query,
            shared=request.form.get("shared") == "1",
        )
    except ValidationFailed as error:
        db.session.rollback()
        if is_htmx():
            response = render("projects/_undo_result.html", ok=False)
            return with_toast(response, " ".join(error.messages), "error")
        return redirect(_view_url(query))
    name, url = view.name, _view_url(view.query)
    db.session.commit()
    if is_htmx():
        response = render("projects/_undo_result.html", ok=True)
        response.headers["HX-Redirect"] = url
        return with_toast(response, _('התצוגה "%(name)s" נשמרה.', name=name))
    return redirect(url)


@bp.post("/views/<uuid:view_id>/delete")
@member_of_tenant()
def delete_view(view_id):
    view = saved_views.get_view(g.membership, view_id)
    if view is None or view.page != VIEW_PAGE_KEY:
        abort(404)
    try:
        saved_views.delete_view(g.membership, view)
    except PermissionDenied:
        abort(403)
    db.session.commit()
    return redirect(url_for("projects.index"))


from app.projects.routes import create  # noqa: E402,F401  (the create panel)

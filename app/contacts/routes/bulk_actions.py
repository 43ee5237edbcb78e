"""Bulk actions on the selected rows of the contacts list (with undo), and saved views."""

from flask import abort, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from app.contacts import bulk, queries
from app.contacts.routes import bp, kind_from_tab
from app.contacts.routes.lists import list_context, view_page_key
from app.contacts.vocab import TAB_OF
from app.core.errors import PermissionDenied, ValidationFailed
from app.core.permissions import member_of_tenant
from app.core.render import is_htmx, render, with_toast
from app.core.undo import make_undo_token, read_undo_token
from app.custom_fields import queries as custom_queries
from app.extensions import db
from app.saved_views import services as saved_views

DONE_MESSAGES = {
    "label_add": lambda n: ngettext("התגית נוספה לרשומה אחת.", "התגית נוספה ל-%(num)d רשומות.", n),
    "label_remove": lambda n: ngettext(
        "התגית הוסרה מרשומה אחת.", "התגית הוסרה מ-%(num)d רשומות.", n
    ),
    "status": lambda n: ngettext("הסטטוס עודכן ברשומה אחת.", "הסטטוס עודכן ב-%(num)d רשומות.", n),
    "lead_source": lambda n: ngettext(
        "מקור הליד עודכן ברשומה אחת.", "מקור הליד עודכן ב-%(num)d רשומות.", n
    ),
    "archive": lambda n: ngettext("רשומה אחת הועברה לארכיון.", "%(num)d רשומות הועברו לארכיון.", n),
    "restore": lambda n: ngettext("רשומה אחת שוחזרה.", "%(num)d רשומות שוחזרו.", n),
}


def _selected_ids(kind: str) -> list:
    if request.form.get("select_all") == "1":
        filters = queries.ContactFilters.from_args(kind, request.args)
        defs = custom_queries.definitions(kind, flag="filter")
        return [str(i) for i in queries.all_matching_ids(filters, defs)]
    return request.form.getlist("ids")


def _list_response(kind: str, message: str, level: str = "success", undo_token: str | None = None):
    if not is_htmx():
        return redirect(
            url_for("contacts.index", tab=TAB_OF[kind], **request.args.to_dict(flat=False))
        )
    response = render("contacts/index.html", "contacts/_list.html", **list_context(kind))
    response = with_toast(response, message, level)
    if undo_token:
        import json

        trigger = json.loads(response.headers["HX-Trigger"])
        trigger["toast"]["undo"] = {"url": url_for("contacts.bulk_undo"), "token": undo_token}
        response.headers["HX-Trigger"] = json.dumps(trigger)
    return response


@bp.post("/bulk")
@member_of_tenant()
def bulk_action():
    kind = kind_from_tab(request.args.get("tab"))
    action, _sep, value = (request.form.get("action") or "").partition(":")
    try:
        result = bulk.apply(g.membership, kind, _selected_ids(kind), action, value or None)
    except ValidationFailed as error:
        db.session.rollback()
        return _list_response(kind, " ".join(error.messages), "error")
    except PermissionDenied as error:
        db.session.rollback()
        if not is_htmx():
            abort(403)
        return _list_response(kind, error.message or _("אין לך הרשאה לפעולה הזו."), "error")
    db.session.commit()
    token = make_undo_token(g.membership, result.undo) if result.undo else None
    if result.count == 0:
        return _list_response(kind, _("לא היה מה לשנות ברשומות שנבחרו."), "info")
    return _list_response(kind, DONE_MESSAGES[action](result.count), undo_token=token)


@bp.post("/bulk/undo")
@member_of_tenant()
def bulk_undo():
    undo = read_undo_token(g.membership, request.form.get("token", ""))
    if undo is None:
        response = render("contacts/_undo_result.html", ok=False)
        return with_toast(response, _("כבר מאוחר מדי לבטל את הפעולה."), "warning")
    try:
        count = bulk.revert(g.membership, undo)
    except (ValidationFailed, PermissionDenied):
        db.session.rollback()
        return with_toast(
            render("contacts/_undo_result.html", ok=False), _("הביטול נכשל."), "error"
        )
    db.session.commit()
    response = render("contacts/_undo_result.html", ok=True)
    response.headers["HX-Trigger-After-Settle"] = "contacts-changed"
    message = ngettext("הפעולה בוטלה (רשומה אחת).", "הפעולה בוטלה (%(num)d רשומות).", count)
    return with_toast(response, message)


# ---------------------------------------------------------------------------------------------
# Saved views
# ---------------------------------------------------------------------------------------------


@bp.post("/views")
@member_of_tenant()
def save_view():
    kind = kind_from_tab(request.args.get("tab"))
    query = request.form.get("query", "")
    try:
        view = saved_views.save_view(
            g.membership,
            view_page_key(kind),
            request.form.get("name", ""),
            query,
            shared=request.form.get("shared") == "1",
        )
    except ValidationFailed as error:
        db.session.rollback()
        target = url_for("contacts.index", tab=TAB_OF[kind]) + ("?" + query if query else "")
        if is_htmx():
            return with_toast(
                render("contacts/_undo_result.html", ok=False), " ".join(error.messages), "error"
            )
        return redirect(target)
    name, url = view.name, _view_url(kind, view.query)
    db.session.commit()
    if is_htmx():
        response = render("contacts/_undo_result.html", ok=True)
        response.headers["HX-Redirect"] = url
        return with_toast(response, _('התצוגה "%(name)s" נשמרה.', name=name))
    return redirect(url)


def _view_url(kind: str, query: str) -> str:
    base = url_for("contacts.index")
    tab = f"tab={TAB_OF[kind]}"
    return f"{base}?{tab}" + (f"&{query}" if query else "")


@bp.post("/views/<uuid:view_id>/delete")
@member_of_tenant()
def delete_view(view_id):
    kind = kind_from_tab(request.args.get("tab"))
    view = saved_views.get_view(g.membership, view_id) or abort(404)
    try:
        saved_views.delete_view(g.membership, view)
    except PermissionDenied:
        abort(403)
    db.session.commit()
    return redirect(url_for("contacts.index", tab=TAB_OF[kind]))

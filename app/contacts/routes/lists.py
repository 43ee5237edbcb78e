"""The contacts list (/contacts): tabs, search and filters in the URL, sort, pages, the create
panel, and inline editing of a cell."""

from flask import abort, g, redirect, request, url_for
from flask_babel import gettext as _

from app.contacts import permissions, queries, services, vocab
from app.contacts.fields import config_choices, display_value, spec_for, visible_specs
from app.contacts.routes import bp, contact_or_404, kind_from_tab
from app.core.errors import PermissionDenied, ValidationFailed
from app.core.permissions import member_of_tenant
from app.core.render import is_htmx, render, with_toast
from app.custom_fields import queries as custom_queries
from app.extensions import db
from app.labels import services as labels
from app.saved_views import services as saved_views

# The list's columns per kind, in order (the name column comes first, labels last).
COLUMNS = {
    "client": ("status", "mobile", "email", "lead_source", "lead_score", "city"),
    "supplier": (
        "category_key",
        "contact_person",
        "phone",
        "email",
        "city",
        "discount_percent",
        "rating",
    ),
    "professional": ("trade_key", "phone", "email", "license_number", "insurance_expiry", "rating"),
}
FILTER_CATEGORY_KIND = {"supplier": "supplier_category", "professional": "trade"}


def view_page_key(kind: str) -> str:
    return f"contacts:{kind}"


def _columns(kind: str) -> list:
    visible = {s.key for s in visible_specs(kind, g.membership)}
    editable = {s.key for s in visible_specs(kind, g.membership, editing=True)}
    return [
        {"spec": spec_for(kind, key), "editable": key in editable and spec_for(kind, key).inline}
        for key in COLUMNS[kind]
        if key in visible
    ]


def list_context(kind: str) -> dict:
    filter_defs = custom_queries.definitions(kind, flag="filter")
    list_defs = custom_queries.definitions(kind, flag="list")
    filters = queries.ContactFilters.from_args(kind, request.args)
    results = queries.list_contacts(
        filters, list_definitions=list_defs, filter_definitions=filter_defs
    )
    member = g.membership
    return {
        "kind": kind,
        "tab": vocab.TAB_OF[kind],
        "filters": filters,
        "results": results,
        "columns": _columns(kind),
        "list_defs": list_defs,
        "filter_defs": filter_defs,
        "available_labels": labels.available_labels(kind),
        "status_choices": vocab.choices(vocab.CLIENT_STATUS_LABELS),
        "stage_choices": vocab.choices(vocab.LEAD_STAGE_LABELS),
        "lead_source_choices": config_choices("lead_source"),
        "category_choices": config_choices(FILTER_CATEGORY_KIND[kind]) if kind != "client" else [],
        "can_edit": permissions.can_edit(member),
        "can_archive": permissions.can_archive(member),
        "can_transfer": permissions.can_transfer(member),
        "display_value": display_value,
        "list_url": url_for("contacts.index", tab=vocab.TAB_OF[kind], **filters.args()),
    }


@bp.get("")
@member_of_tenant()
def index():
    kind = kind_from_tab(request.args.get("tab"))
    context = list_context(kind)
    if is_htmx() and request.headers.get("HX-Target") == "contacts-list":
        return render("contacts/index.html", "contacts/_list.html", **context)
    context |= {
        "counts": queries.tab_counts(),
        "views": saved_views.views_for(g.membership, view_page_key(kind)),
        "open_panel": request.args.get("new") == "1",
    }
    return render("contacts/index.html", **context)


# ---------------------------------------------------------------------------------------------
# Inline edit of one cell
# ---------------------------------------------------------------------------------------------


def _cell_context(contact, key: str, **extra) -> dict:
    spec = spec_for(contact.entity_type, key)
    editable = {s.key for s in visible_specs(contact.entity_type, g.membership, editing=True)}
    if spec is None or not spec.inline or key not in editable:
        abort(404)
    options = []
    if spec.type == "choice":
        options = vocab.choices(spec.choices)
    elif spec.type == "config":
        options = config_choices(spec.config_kind, getattr(contact, key))
    elif spec.type == "bool":
        options = [("true", _("כן")), ("false", _("לא"))]
    return {
        "contact": contact,
        "key": key,
        "spec": spec,
        "options": options,
        "column": {"spec": spec, "editable": True},
        "display_value": display_value,
    } | extra


@bp.get("/<uuid:contact_id>/cell/<key>")
@member_of_tenant()
def cell(contact_id, key):
    """The cell's editor (?edit=1) or its plain value (cancel)."""
    contact = contact_or_404(contact_id)
    context = _cell_context(contact, key)
    template = "contacts/_cell_editor.html" if request.args.get("edit") else "contacts/_cell.html"
    return render(template, **context)


@bp.post("/<uuid:contact_id>/cell/<key>")
@member_of_tenant()
def save_cell(contact_id, key):
    contact = contact_or_404(contact_id)
    context = _cell_context(contact, key)
    raw = request.form.get("value", "")
    try:
        changes = services.update_field(g.membership, contact, key, raw)
    except ValidationFailed as error:
        db.session.rollback()
        contact = contact_or_404(contact_id)  # the old value, as stored
        message = "; ".join(error.messages)
        return render(
            "contacts/_cell_editor.html",
            status=422,
            **_cell_context(contact, key, error=message, attempted=raw),
        )
    except PermissionDenied:
        abort(403)
    db.session.commit()
    return render("contacts/_cell.html", **context, saved=bool(changes))


# ---------------------------------------------------------------------------------------------
# The create panel
# ---------------------------------------------------------------------------------------------


def _form(kind: str, data=None):
    from app.contacts.forms import contact_form_class

    return contact_form_class(kind, g.membership)(formdata=data)


def _panel_context(kind: str, form, **extra) -> dict:
    from app.custom_fields.component import custom_field_form

    return {
        "kind": kind,
        "tab": vocab.TAB_OF[kind],
        "form": form,
        "custom": custom_field_form(kind, data=request.form if request.method == "POST" else None),
        "duplicates": [],
        "available_labels": labels.available_labels(kind),
        "chosen_labels": request.form.getlist("label_ids") if request.method == "POST" else [],
    } | extra


@bp.get("/new")
@member_of_tenant()
def new():
    kind = kind_from_tab(request.args.get("tab"))
    form = _form(kind)
    if kind == "client":
        form.status.data = request.args.get("status") or "lead"
    return render("contacts/new.html", "contacts/_panel.html", **_panel_context(kind, form))


@bp.post("/new")
@member_of_tenant()
def create():
    from app.core.forms import run_service
    from app.custom_fields.component import custom_field_form

    kind = kind_from_tab(request.args.get("tab"))
    form = _form(kind, request.form)
    custom = custom_field_form(kind, data=request.form)
    data = form.service_data()
    duplicates = []
    if not request.form.get("allow_duplicate"):
        phones = [request.form.get("phone"), request.form.get("mobile")]
        duplicates = services.find_duplicates(request.form.get("email"), phones)
    custom_errors = custom.validate()
    if not duplicates:
        ok, contact = run_service(form, lambda: services.create_contact(g.membership, kind, data))
        if ok and custom_errors:
            db.session.rollback()  # the custom fields are wrong: nothing is created
        elif ok:
            custom.save(g.membership, entity_id=contact.id, entity=contact, record=False)
            for label_id in request.form.getlist("label_ids"):
                label = labels.get_label(label_id)
                if label is not None and label.is_active and label.applies_to(kind):
                    labels.attach_label(g.membership, label, kind, contact.id, contact.name)
            name, contact_url = contact.name, url_for("contacts.show", contact_id=contact.id)
            db.session.commit()
            if not is_htmx():
                return redirect(contact_url)
            response = render("contacts/_panel_done.html", name=name, contact_url=contact_url)
            response.headers["HX-Trigger-After-Settle"] = "contacts-changed"
            return with_toast(response, _("%(name)s נוסף/ה לאנשי הקשר.", name=name))
    return render(
        "contacts/new.html",
        "contacts/_panel.html",
        status=422,
        **_panel_context(kind, form, custom=custom, duplicates=duplicates),
    )


@bp.get("/duplicates")
@member_of_tenant()
def duplicates():
    """The live warning under the e-mail and phone fields of the create panel."""
    found = services.find_duplicates(
        request.args.get("email"), [request.args.get("phone"), request.args.get("mobile")]
    )
    return render("contacts/_duplicates.html", duplicates=found)

"""תגיות: the labels settings page, and the widget's attach/detach routes for any entity."""

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.configuration.routes import can_view_config
from app.core.errors import ValidationFailed
from app.core.forms import run_service
from app.core.permissions import member_of_tenant
from app.core.render import is_htmx, render, with_toast
from app.core.tenancy import current_tenant_id
from app.extensions import db
from app.labels import services as labels
from app.labels.forms import LabelForm
from app.labels.kinds import LABEL_TYPE_LABELS
from app.settings.tabs import register_settings_tab

bp = Blueprint("labels", __name__)

register_settings_tab(
    _l("תגיות"),
    "labels.index",
    "ticket",
    30,
    can_view_config,
    ("labels.create", "labels.edit"),
)

# The settings page's preview: labels on the studio itself (every active label applies).
PREVIEW_TYPE = "studio"


def _load_studio(entity_id):
    membership = g.get("membership")
    return membership.tenant if membership and entity_id == current_tenant_id() else None


labels.register_label_target(
    PREVIEW_TYPE,
    load=_load_studio,
    can_edit=lambda membership, tenant: membership.has("can_manage_settings"),
    any_label=True,
)


def _require_view():
    if not can_view_config(g.membership):
        abort(403)


def _label_or_404(label_id):
    return labels.get_label(label_id) or abort(404)


def _list_context():
    items = labels.all_labels()
    return {
        "items": items,
        "usage": labels.usage_counts(),
        "type_labels": {k: str(v) for k, v in LABEL_TYPE_LABELS.items()},
        "can_edit": g.membership.has("can_manage_settings"),
    }


def _widget_context(entity_type, entity_id, can_edit):
    return {
        "entity_type": entity_type,
        "entity_id": entity_id,
        "attached_labels": labels.labels_for(entity_type, [entity_id])[entity_id],
        "available_labels": labels.available_labels(entity_type) if can_edit else [],
        "can_edit": can_edit,
    }


def _page(form=None, status=200):
    context = _list_context()
    if form is None and context["can_edit"]:
        form = LabelForm()
    studio_id = current_tenant_id()
    return render(
        "labels/page.html",
        "labels/_list.html",
        status=status,
        form=form,
        preview=_widget_context(PREVIEW_TYPE, studio_id, context["can_edit"]),
        **context,
    )


def _list_response(message, level="success"):
    if is_htmx():
        response = render(
            "labels/_list.html", status=409 if level == "error" else 200, **_list_context()
        )
        return with_toast(response, message, level)
    flash(message, level)
    return redirect(url_for("labels.index"))


def _run(action, success_message):
    try:
        action()
    except ValidationFailed as error:
        db.session.rollback()
        return _list_response(" ".join(error.messages), "error")
    db.session.commit()
    return _list_response(success_message)


@bp.get("/settings/labels")
@member_of_tenant()
def index():
    _require_view()
    return _page()


@bp.post("/settings/labels")
@member_of_tenant("can_manage_settings")
def create():
    form = LabelForm()
    if form.validate_on_submit():
        ok, label = run_service(
            form,
            lambda: labels.create_label(
                g.membership,
                name=form.name.data,
                color=form.color.data,
                entity_types=form.entity_types.data,
            ),
        )
        if ok:
            name = label.name
            db.session.commit()
            flash(_('התגית "%(name)s" נוספה.', name=name), "success")
            return redirect(url_for("labels.index"))
    return _page(form, status=422)


@bp.route("/settings/labels/<uuid:label_id>/edit", methods=["GET", "POST"])
@member_of_tenant("can_manage_settings")
def edit(label_id):
    label = _label_or_404(label_id)
    form = LabelForm(obj=label)
    if form.validate_on_submit():
        ok, changes = run_service(
            form,
            lambda: labels.update_label(
                g.membership,
                label,
                name=form.name.data,
                color=form.color.data,
                entity_types=form.entity_types.data,
            ),
        )
        if ok:
            name = label.name
            db.session.commit()
            flash(
                _('התגית "%(name)s" עודכנה.', name=name) if changes else _("לא היה מה לעדכן."),
                "success" if changes else "info",
            )
            return redirect(url_for("labels.index"))
    return render("labels/edit.html", label=label, form=form, status=422 if form.errors else 200)


@bp.post("/settings/labels/<uuid:label_id>/active")
@member_of_tenant("can_manage_settings")
def set_active(label_id):
    label = _label_or_404(label_id)
    active = request.form.get("active") == "1"
    name = label.name
    return _run(
        lambda: labels.set_label_active(g.membership, label, active),
        _('התגית "%(name)s" הופעלה מחדש.', name=name)
        if active
        else _('התגית "%(name)s" הושבתה.', name=name),
    )


@bp.post("/settings/labels/<uuid:label_id>/delete")
@member_of_tenant("can_manage_settings")
def delete(label_id):
    label = _label_or_404(label_id)
    name = label.name
    return _run(
        lambda: labels.delete_label(g.membership, label),
        _('התגית "%(name)s" נמחקה.', name=name),
    )


@bp.post("/settings/labels/<uuid:label_id>/move")
@member_of_tenant("can_manage_settings")
def move(label_id):
    label = _label_or_404(label_id)
    direction = "up" if request.form.get("direction") == "up" else "down"
    return _run(lambda: labels.move_label(g.membership, label, direction), _("הסדר נשמר."))


@bp.post("/settings/labels/order")
@member_of_tenant("can_manage_settings")
def reorder():
    ids = request.form.getlist("order")
    return _run(lambda: labels.reorder_labels(g.membership, ids), _("הסדר נשמר."))


# ---------------------------------------------------------------------------------------------
# The widget (any entity page): fragment, attach, detach
# ---------------------------------------------------------------------------------------------


def _target_entity(entity_type, entity_id):
    target = labels.label_target(entity_type)
    if target is None:
        abort(404)
    entity = target.load(entity_id)
    if entity is None:
        abort(404)
    return target, entity


def _back():
    """No-JS: back to the page the widget was on (same site only)."""
    referrer = request.referrer or ""
    parts = urlsplit(referrer)
    if parts.netloc == request.host and parts.path.startswith("/"):
        return redirect(parts.path + (f"?{parts.query}" if parts.query else ""))
    return redirect(url_for("dashboard.index"))


def _widget_response(entity_type, entity_id, can_edit, message=None, level="success", status=200):
    if is_htmx():
        response = render(
            "labels/_widget_fragment.html",
            status=status,
            **_widget_context(entity_type, entity_id, can_edit),
        )
        return with_toast(response, message, level) if message else response
    if message:
        flash(message, level)
    return _back()


@bp.get("/labels/<entity_type>/<uuid:entity_id>")
@member_of_tenant()
def widget(entity_type, entity_id):
    target, entity = _target_entity(entity_type, entity_id)
    return render(
        "labels/_widget_fragment.html",
        **_widget_context(entity_type, entity_id, bool(target.can_edit(g.membership, entity))),
    )


@bp.post("/labels/<entity_type>/<uuid:entity_id>/attach")
@member_of_tenant()
def attach(entity_type, entity_id):
    target, entity = _target_entity(entity_type, entity_id)
    if not target.can_edit(g.membership, entity):
        abort(403)
    label = labels.get_label(request.form.get("label_id", ""))
    if label is None:
        return _widget_response(entity_type, entity_id, True, _("בחרו תגית."), "error", 409)
    try:
        labels.attach_label(g.membership, label, entity_type, entity_id)
    except ValidationFailed as error:
        db.session.rollback()
        return _widget_response(
            entity_type, entity_id, True, " ".join(error.messages), "error", 409
        )
    db.session.commit()
    return _widget_response(entity_type, entity_id, True)


@bp.post("/labels/<entity_type>/<uuid:entity_id>/detach/<uuid:label_id>")
@member_of_tenant()
def detach(entity_type, entity_id, label_id):
    target, entity = _target_entity(entity_type, entity_id)
    if not target.can_edit(g.membership, entity):
        abort(403)
    label = _label_or_404(label_id)
    labels.detach_label(g.membership, label, entity_type, entity_id)
    db.session.commit()
    return _widget_response(entity_type, entity_id, True)

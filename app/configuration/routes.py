"""הגדרות → רשימות: the studio's configurable lists (types, statuses, phases, categories)."""

from flask import Blueprint, abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from app.configuration import services as config
from app.configuration.forms import EntryForm
from app.configuration.kinds import KIND_HINTS, KIND_LABELS, kind_label
from app.configuration.models import ENTITY_TYPES, STATUS_TYPES
from app.core.errors import ValidationFailed
from app.core.forms import run_service
from app.core.permissions import member_of_tenant
from app.core.render import is_htmx, render, with_toast
from app.extensions import db
from app.settings.tabs import register_settings_tab

bp = Blueprint("configuration", __name__, url_prefix="/settings/config")


def can_view_config(membership) -> bool:
    return membership is not None and (
        membership.role in ("owner", "manager") or membership.has("can_manage_settings")
    )


register_settings_tab(
    _l("רשימות"),
    "configuration.index",
    "clipboard",
    20,
    can_view_config,
    (
        "configuration.kind",
        "configuration.create",
        "configuration.edit",
    ),
)


def _kind_or_404(entity_type: str) -> str:
    if entity_type not in ENTITY_TYPES:
        abort(404)
    return entity_type


def _require_view():
    if not can_view_config(g.membership):
        abort(403)


def _entry_or_404(entity_type, entry_id):
    return config.get_entry(_kind_or_404(entity_type), entry_id) or abort(404)


def _transition_choices(form, entity_type, entry=None):
    form.allowed_transitions.choices = [
        SelectChoice(e.key, e.name)
        for e in config.entries(entity_type, active_only=False)
        if entry is None or e.id != entry.id
    ]


def _context(entity_type):
    return {
        "entity_type": entity_type,
        "kind_title": kind_label(entity_type),
        "kinds": [(k, str(KIND_LABELS[k])) for k in ENTITY_TYPES],
        "kind_hint": KIND_HINTS[entity_type],
        "is_status_kind": entity_type in STATUS_TYPES,
        "items": config.entries(entity_type, active_only=False),
        "can_edit": g.membership.has("can_manage_settings"),
    }


def _page(entity_type, form=None, status=200):
    context = _context(entity_type)
    if form is None and context["can_edit"]:
        form = EntryForm()
        _transition_choices(form, entity_type)
    return render(
        "configuration/page.html",
        "configuration/_list.html",
        status=status,
        form=form,
        **context,
    )


def _list_response(entity_type, message, level="success", status=200):
    """After an action: the list fragment (HTMX) with a toast, or a redirect with a flash."""
    if is_htmx():
        if level == "error":
            # Not swapped (4xx): app.js shows our toast and the list stays as it was.
            response = render("configuration/_list.html", status=409, **_context(entity_type))
        else:
            response = render("configuration/_list.html", **_context(entity_type))
        return with_toast(response, message, level)
    flash(message, level)
    return redirect(url_for("configuration.kind", entity_type=entity_type))


def _values(form) -> dict:
    return {
        "name": form.name.data,
        "name_en": form.name_en.data,
        "color": form.color.data,
        "is_final": form.is_final.data,
        "allowed_transitions": form.allowed_transitions.data,
    }


def _run(entity_type, action, success_message):
    try:
        action()
    except ValidationFailed as error:
        db.session.rollback()
        return _list_response(entity_type, " ".join(error.messages), "error")
    db.session.commit()
    return _list_response(entity_type, success_message)


@bp.get("")
@member_of_tenant()
def index():
    _require_view()
    wanted = request.args.get("kind")
    entity_type = wanted if wanted in ENTITY_TYPES else ENTITY_TYPES[0]
    return redirect(url_for("configuration.kind", entity_type=entity_type))


@bp.get("/<entity_type>")
@member_of_tenant()
def kind(entity_type):
    _require_view()
    return _page(_kind_or_404(entity_type))


@bp.post("/<entity_type>")
@member_of_tenant("can_manage_settings")
def create(entity_type):
    _kind_or_404(entity_type)
    form = EntryForm()
    _transition_choices(form, entity_type)
    if form.validate_on_submit():
        ok, entry = run_service(
            form, lambda: config.create_entry(g.membership, entity_type, **_values(form))
        )
        if ok:
            name = entry.name
            db.session.commit()
            flash(_('"%(name)s" נוסף לרשימה.', name=name), "success")
            return redirect(url_for("configuration.kind", entity_type=entity_type))
    return _page(entity_type, form, status=422)


@bp.route("/<entity_type>/<uuid:entry_id>/edit", methods=["GET", "POST"])
@member_of_tenant("can_manage_settings")
def edit(entity_type, entry_id):
    entry = _entry_or_404(entity_type, entry_id)
    form = EntryForm(obj=entry)
    _transition_choices(form, entity_type, entry)
    if request.method == "GET":
        form.color.data = entry.color or "#3399FF"
        form.allowed_transitions.data = list(entry.allowed_transitions or [])
    if form.validate_on_submit():
        ok, changes = run_service(
            form, lambda: config.update_entry(g.membership, entry, **_values(form))
        )
        if ok:
            name = entry.name
            db.session.commit()
            flash(
                _('"%(name)s" עודכן.', name=name) if changes else _("לא היה מה לעדכן."),
                "success" if changes else "info",
            )
            return redirect(url_for("configuration.kind", entity_type=entity_type))
    return render(
        "configuration/edit.html",
        entry=entry,
        form=form,
        entity_type=entity_type,
        kind_title=kind_label(entity_type),
        is_status_kind=entity_type in STATUS_TYPES,
        status=422 if form.errors else 200,
    )


@bp.post("/<entity_type>/<uuid:entry_id>/default")
@member_of_tenant("can_manage_settings")
def make_default(entity_type, entry_id):
    entry = _entry_or_404(entity_type, entry_id)
    name = entry.name
    return _run(
        entity_type,
        lambda: config.set_default(g.membership, entry),
        _('"%(name)s" הוא עכשיו ברירת המחדל.', name=name),
    )


@bp.post("/<entity_type>/<uuid:entry_id>/active")
@member_of_tenant("can_manage_settings")
def set_active(entity_type, entry_id):
    entry = _entry_or_404(entity_type, entry_id)
    active = request.form.get("active") == "1"
    name = entry.name
    return _run(
        entity_type,
        lambda: config.set_active(g.membership, entry, active),
        _('"%(name)s" הופעל מחדש.', name=name)
        if active
        else _('"%(name)s" הושבת ולא יוצע יותר לבחירה.', name=name),
    )


@bp.post("/<entity_type>/<uuid:entry_id>/delete")
@member_of_tenant("can_manage_settings")
def delete(entity_type, entry_id):
    entry = _entry_or_404(entity_type, entry_id)
    name = entry.name
    return _run(
        entity_type,
        lambda: config.delete_entry(g.membership, entry),
        _('"%(name)s" נמחק.', name=name),
    )


@bp.post("/<entity_type>/<uuid:entry_id>/move")
@member_of_tenant("can_manage_settings")
def move(entity_type, entry_id):
    entry = _entry_or_404(entity_type, entry_id)
    direction = "up" if request.form.get("direction") == "up" else "down"
    return _run(
        entity_type,
        lambda: config.move(g.membership, entry, direction),
        _("הסדר נשמר."),
    )


@bp.post("/<entity_type>/order")
@member_of_tenant("can_manage_settings")
def reorder(entity_type):
    _kind_or_404(entity_type)
    ids = request.form.getlist("order")
    return _run(
        entity_type,
        lambda: config.reorder(g.membership, entity_type, ids),
        _("הסדר נשמר."),
    )

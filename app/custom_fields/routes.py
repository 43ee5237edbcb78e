"""שדות מותאמים: the studio's custom field definitions, per entity type (/settings/custom-fields)."""

from flask import Blueprint, abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select

from app.core.errors import ValidationFailed
from app.core.forms import apply_service_errors
from app.core.permissions import member_of_tenant
from app.core.render import render
from app.custom_fields import queries, services, types
from app.custom_fields.forms import DefinitionForm, option_rows, options_from
from app.custom_fields.labels import ENTITY_TYPE_LABELS, FIELD_TYPE_LABELS, FLAG_LABELS
from app.custom_fields.models import ENTITY_TYPES, CustomFieldDefinition
from app.extensions import db
from app.settings.tabs import register_settings_tab

bp = Blueprint("custom_fields", __name__, url_prefix="/settings/custom-fields")

register_settings_tab(
    _l("שדות מותאמים"),
    "custom_fields.index",
    "clipboard",
    40,
    services.can_view_definitions,
    ("custom_fields.new", "custom_fields.edit"),
)


@bp.app_template_global("cf_display")
def cf_display(definition, value) -> str:
    """A parsed custom-field value as text, in the studio's timezone (lists, cards)."""
    membership = g.get("membership")
    return types.display(definition, value, membership.tenant.timezone if membership else None)


def _entity_type(value: str | None) -> str:
    value = value or "project"
    if value not in ENTITY_TYPES:
        abort(404)
    return value


def _definition_or_404(definition_id) -> CustomFieldDefinition:
    definition = db.session.scalar(
        select(CustomFieldDefinition).where(CustomFieldDefinition.id == definition_id)
    )
    return definition or abort(404)


def _list_context(entity_type: str) -> dict:
    return {
        "entity_type": entity_type,
        "entity_types": ENTITY_TYPE_LABELS,
        "field_type_labels": FIELD_TYPE_LABELS,
        "flag_labels": FLAG_LABELS,
        "definitions": queries.definitions(entity_type, active_only=False),
        "usage": queries.usage_counts(entity_type),
        "can_manage": g.membership.has("can_manage_settings"),
    }


@bp.get("/")
@member_of_tenant()
def index():
    if not services.can_view_definitions(g.membership):
        abort(403)
    entity_type = _entity_type(request.args.get("entity"))
    return render(
        "custom_fields/index.html", "custom_fields/_list.html", **_list_context(entity_type)
    )


def _form_page(form, entity_type, definition=None, options=None, status=200):
    return render(
        "custom_fields/edit.html",
        form=form,
        definition=definition,
        entity_type=entity_type,
        entity_label=ENTITY_TYPE_LABELS[entity_type],
        options=option_rows(options if options is not None else []),
        options_errors=form.form_errors,
        status=status,
    )


def _submit(form, entity_type, definition=None):
    """Validate and save a definition; a response on error, None when saved."""
    options = options_from(request.form)
    data = form.values() | {"options": options}
    try:
        if definition is None:
            definition = services.create_definition(g.membership, entity_type, data)
        else:
            services.update_definition(g.membership, definition, data)
    except ValidationFailed as error:
        db.session.rollback()
        apply_service_errors(form, error)  # "options" errors land in form_errors
        kept = [o for o in options if (o.get("label") or "").strip()]
        return _form_page(form, entity_type, definition, kept, status=422)
    db.session.commit()
    return None


@bp.route("/new", methods=["GET", "POST"])
@member_of_tenant("can_manage_settings")
def new():
    entity_type = _entity_type(request.values.get("entity"))
    form = DefinitionForm()
    if form.validate_on_submit():
        failed = _submit(form, entity_type)
        if failed is not None:
            return failed
        flash(_("השדה „%(name)s” נוסף.", name=form.name.data.strip()), "success")
        return redirect(url_for("custom_fields.index", entity=entity_type))
    status = 422 if request.method == "POST" else 200
    return _form_page(form, entity_type, status=status)


@bp.route("/<uuid:definition_id>", methods=["GET", "POST"])
@member_of_tenant("can_manage_settings")
def edit(definition_id):
    definition = _definition_or_404(definition_id)
    entity_type = definition.entity_type
    form = DefinitionForm(obj=definition)
    if form.validate_on_submit():
        failed = _submit(form, entity_type, definition)
        if failed is not None:
            return failed
        flash(_("השדה „%(name)s” עודכן.", name=definition.name), "success")
        return redirect(url_for("custom_fields.index", entity=entity_type))
    status = 422 if request.method == "POST" else 200
    if request.method == "GET" and definition.field_type in ("select", "multiselect"):
        form.default_value.data = ""  # choice defaults are marked on the options
    return _form_page(form, entity_type, definition, definition.options, status=status)


@bp.post("/<uuid:definition_id>/move")
@member_of_tenant("can_manage_settings")
def move(definition_id):
    definition = _definition_or_404(definition_id)
    entity_type = definition.entity_type
    services.move_definition(g.membership, definition, request.form.get("direction", ""))
    db.session.commit()
    if request.headers.get("HX-Request"):
        return render("custom_fields/_list.html", **_list_context(entity_type))
    return redirect(url_for("custom_fields.index", entity=entity_type))


@bp.post("/<uuid:definition_id>/delete")
@member_of_tenant("can_manage_settings")
def delete(definition_id):
    definition = _definition_or_404(definition_id)
    entity_type, name = definition.entity_type, definition.name
    removed = services.delete_definition(g.membership, definition)
    db.session.commit()
    message = (
        ngettext(
            "השדה „%(name)s” נמחק, יחד עם ערך אחד.",
            "השדה „%(name)s” נמחק, יחד עם %(num)d ערכים.",
            removed,
            name=name,
        )
        if removed
        else _("השדה „%(name)s” נמחק.", name=name)
    )
    flash(message, "success")
    return redirect(url_for("custom_fields.index", entity=entity_type))

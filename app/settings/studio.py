"""הסטודיו: the studio's details, branding, business settings and fees (/settings/studio).

Also shows the custom fields defined for entity type "tenant" (the reusable component).
"""

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core.errors import ValidationFailed
from app.core.forms import apply_service_errors
from app.core.permissions import member_of_tenant
from app.core.render import render, request_origin
from app.custom_fields.component import PREFIX as CF_PREFIX
from app.custom_fields.component import custom_field_form
from app.extensions import db
from app.files.routes import allow_large_upload
from app.settings import bp
from app.settings.forms_studio import StudioForm
from app.settings.tabs import register_settings_tab
from app.tenants.branding import brand_style
from app.tenants.models import Tenant
from app.tenants.studio_settings import (
    TENANT_FIELDS,
    fee_settings_of,
    remove_logo,
    set_logo,
    update_studio,
)

register_settings_tab(_l("הסטודיו"), "settings.studio", "building", 5, lambda m: m is not None)
bp.add_app_template_global(brand_style, "brand_style")


def _initial(tenant: Tenant) -> dict:
    fees = fee_settings_of(tenant)
    return {
        **{field: getattr(tenant, field) for field in TENANT_FIELDS},
        "primary_color": tenant.primary_color or "#3399FF",
        "default_color": not tenant.primary_color,
        "fiscal_year_start": str(tenant.fiscal_year_start or 1),
        "vat_rate": f"{tenant.vat_rate:f}" if tenant.vat_rate is not None else "",
        **{key: "" if value is None else str(value) for key, value in fees.items()},
    }


def _page(form, cf_form, status=200):
    membership = g.membership
    return render(
        "settings/studio.html",
        tenant=membership.tenant,
        form=form,
        cf_form=cf_form,
        can_edit=membership.has("can_manage_settings"),
        status=status,
    )


@bp.get("/studio")
@member_of_tenant()
def studio():
    tenant = g.membership.tenant
    form = StudioForm(data=_initial(tenant), formdata=None).with_timezone(tenant.timezone)
    return _page(form, custom_field_form("tenant", tenant.id, tenant=tenant))


@bp.post("/studio")
@member_of_tenant("can_manage_settings")
def save_studio():
    tenant = g.membership.tenant
    form = StudioForm().with_timezone(tenant.timezone)
    cf_form = custom_field_form("tenant", tenant.id, data=request.form, tenant=tenant)
    if form.validate_on_submit():
        try:
            changes = update_studio(g.membership, tenant, form.values(), cf_form, request_origin())
        except ValidationFailed as error:
            db.session.rollback()
            own = {k: v for k, v in error.errors.items() if not k.startswith(f"{CF_PREFIX}-")}
            apply_service_errors(form, ValidationFailed(own))
        else:
            db.session.commit()
            flash(
                _("הגדרות הסטודיו נשמרו.") if changes else _("לא היה מה לעדכן."),
                "success" if changes else "info",
            )
            return redirect(url_for("settings.studio"))
    else:
        cf_form.validate()
    return _page(form, cf_form, status=422)


@bp.post("/studio/logo")
@member_of_tenant("can_manage_settings")
def upload_logo():
    tenant = g.membership.tenant
    try:
        set_logo(g.membership, tenant, request.files.get("logo"), request_origin())
    except ValidationFailed as error:
        db.session.rollback()
        flash(error.messages[0], "error")
    else:
        db.session.commit()
        flash(_("הלוגו עודכן."), "success")
    return redirect(url_for("settings.studio") + "#studio-logo")


@bp.post("/studio/logo/remove")
@member_of_tenant("can_manage_settings")
def delete_logo():
    remove_logo(g.membership, g.membership.tenant, request_origin())
    db.session.commit()
    flash(_("הלוגו הוסר."), "success")
    return redirect(url_for("settings.studio") + "#studio-logo")


allow_large_upload("settings.upload_logo")

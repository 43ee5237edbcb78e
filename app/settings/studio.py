"""הסטודיו: the studio's details, branding colour, business settings and fees (/settings/studio).

Also shows the custom fields defined for entity type "tenant" (the reusable component).
Later modules read the settings with `fee_settings_of(tenant)` (Decimals) and the Tenant
columns (`currency`, `vat_rate`, `timezone`, `date_format`, `fiscal_year_start`).
"""

import re
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.activity.services import record_activity
from app.audit.services import RequestInfo, record_audit
from app.core.errors import PermissionDenied, ValidationFailed
from app.core.forms import apply_service_errors
from app.core.permissions import member_of_tenant
from app.core.render import render, request_origin
from app.core.validators import EMAIL_PATTERN, NAME_PATTERN, PHONE_PATTERN
from app.custom_fields.component import PREFIX as CF_PREFIX
from app.custom_fields.component import custom_field_form
from app.custom_fields.types import parse_decimal
from app.extensions import db
from app.realtime import publish
from app.settings import bp
from app.settings.forms_studio import (
    BILLING_TYPES,
    CURRENCIES,
    DATE_FORMATS,
    MARKUP_TYPES,
    STUDIO_BUSINESS_TYPES,
    TIMEZONES,
    StudioForm,
)
from app.settings.tabs import register_settings_tab
from app.tenants.models import Tenant, default_fee_settings

COLOR_PATTERN = re.compile(r"#[0-9a-fA-F]{6}")
URL_PATTERN = re.compile(r"https?://\S+", re.IGNORECASE)
CENT = Decimal("0.01")
FEE_KEYS = tuple(default_fee_settings())
TENANT_FIELDS = (
    "name",
    "email",
    "phone",
    "address",
    "website",
    "primary_color",
    "business_type",
    "currency",
    "vat_rate",
    "fiscal_year_start",
    "timezone",
    "date_format",
)

register_settings_tab(_l("הסטודיו"), "settings.studio", "building", 5, lambda m: m is not None)


# --- branding: the primary colour and the design system's derived tokens ------------------


def _rgb(hex_color: str) -> tuple[int, int, int]:
    return tuple(int(hex_color[i : i + 2], 16) for i in (1, 3, 5))


def _hex(rgb) -> str:
    return "#" + "".join(f"{round(c):02x}" for c in rgb)


def _luminance(rgb) -> float:
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g_, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g_ + 0.0722 * b


def contrast(a, b) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _mix(rgb, other, t: float):
    return tuple(c + (o - c) * t for c, o in zip(rgb, other, strict=True))


def _toward(rgb, target, against, ratio: float):
    """Mix `rgb` toward `target` (black or white) until it has `ratio` contrast with `against`."""
    for step in range(0, 101, 2):
        candidate = _mix(rgb, target, step / 100)
        if contrast(candidate, against) >= ratio:
            return candidate, step / 100
    return target, 1.0


WHITE, BLACK, INK = (255, 255, 255), (0, 0, 0), (28, 25, 23)
DARK_SURFACE = (28, 26, 25)


@lru_cache(maxsize=256)
def brand_palette(hex_color: str) -> dict[str, str]:
    """The design system's primary tokens (static/css/app.css) derived from one brand colour.

    Buttons keep white text when the colour can be darkened a little to reach 4.5:1; a light
    colour keeps its own shade and gets dark text. Theme-dependent tokens use light-dark().
    """
    rgb = _rgb(hex_color)
    solid, amount = _toward(rgb, BLACK, WHITE, 4.5)
    if amount <= 0.35:
        on = WHITE
        # darker on hover; a near-black colour gets lighter instead (still far above 4.5:1)
        hover = _mix(solid, WHITE if _luminance(solid) < 0.02 else BLACK, 0.15)
    else:
        solid, on = rgb, INK
        hover = _mix(rgb, BLACK, 0.1)
    text_light, _a = _toward(rgb, BLACK, WHITE, 4.5)
    text_dark, _b = _toward(rgb, WHITE, DARK_SURFACE, 4.5)
    subtle = _mix(rgb, WHITE, 0.9)
    subtle_hover = _mix(rgb, WHITE, 0.82)
    subtle_text, _c = _toward(rgb, BLACK, subtle, 4.5)
    focus_light, _d = _toward(rgb, BLACK, WHITE, 3)
    r, g_, b = rgb

    def light_dark(light, dark) -> str:
        return f"light-dark({light}, {dark})"

    return {
        "--c-primary": _hex(rgb),
        "--c-primary-solid": _hex(solid),
        "--c-primary-solid-hover": _hex(hover),
        "--c-on-primary": _hex(on),
        "--c-primary-text": light_dark(_hex(text_light), _hex(text_dark)),
        "--c-primary-subtle": light_dark(_hex(subtle), f"rgb({r} {g_} {b} / 0.14)"),
        "--c-primary-subtle-hover": light_dark(_hex(subtle_hover), f"rgb({r} {g_} {b} / 0.22)"),
        "--c-primary-subtle-text": light_dark(_hex(subtle_text), _hex(text_dark)),
        "--c-focus": light_dark(_hex(focus_light), _hex(text_dark)),
        "--c-focus-ring": f"rgb({r} {g_} {b} / 0.35)",
    }


@bp.app_template_global("brand_style")
def brand_style(hex_color: str | None) -> str:
    """The `style` of <html> for a studio's primary colour ('' for the default palette)."""
    if not hex_color or not COLOR_PATTERN.fullmatch(hex_color):
        return ""
    return "; ".join(f"{name}: {value}" for name, value in brand_palette(hex_color.lower()).items())


# --- service ----------------------------------------------------------------------------


def fee_settings_of(tenant: Tenant) -> dict:
    """The tenant's fee settings with Decimal amounts (None for an unset hourly rate)."""
    settings = default_fee_settings() | (tenant.fee_settings or {})
    result = {}
    for key, value in settings.items():
        if key in ("default_billing_type", "markup_type"):
            result[key] = value
        else:
            result[key] = None if value in (None, "") else Decimal(str(value))
    return result


def _decimal(errors, field, raw, *, low=Decimal(0), high=Decimal(100), required=True):
    text = "" if raw is None else str(raw).strip().rstrip("%").strip()
    if not text:
        if required:
            errors.setdefault(field, []).append(_("שדה חובה."))
        return None
    number = parse_decimal(text)
    if number is None:
        errors.setdefault(field, []).append(_("יש להזין מספר (לדוגמה: 17.5)."))
    elif number.as_tuple().exponent < -2:
        errors.setdefault(field, []).append(_("אפשר עד שתי ספרות אחרי הנקודה."))
    elif not low <= number <= high:
        errors.setdefault(field, []).append(
            _("יש להזין ערך בין %(low)s ל-%(high)s.", low=f"{low:,}", high=f"{high:,}")
        )
    else:
        return number.quantize(CENT, rounding=ROUND_HALF_UP)
    return None


def clean_studio_values(data: dict, current_timezone: str | None = None) -> dict:
    """Check the studio settings; return the cleaned values or raise ValidationFailed."""
    errors: dict[str, list[str]] = {}

    def fail(field, message):
        errors.setdefault(field, []).append(message)

    def text(name):
        return (str(data.get(name) or "")).strip()

    out = {}
    name = text("name")
    if not name:
        fail("name", _("שדה חובה."))
    elif not 2 <= len(name) <= 100:
        fail("name", _("יש להזין בין 2 ל-100 תווים."))
    elif not NAME_PATTERN.fullmatch(name):
        fail("name", _("אפשר להשתמש באותיות, ספרות, רווחים וסימנים - _ . , & ' \" בלבד."))
    out["name"] = name
    email = text("email").lower()
    if not email:
        fail("email", _("שדה חובה."))
    elif len(email) > 255 or not EMAIL_PATTERN.fullmatch(email):
        fail("email", _("כתובת האימייל אינה תקינה (לדוגמה: name@studio.co.il)."))
    out["email"] = email
    phone = text("phone")
    if phone and (not PHONE_PATTERN.fullmatch(phone) or not 9 <= len(phone) <= 20):
        fail("phone", _("מספר הטלפון אינו תקין (לדוגמה: 050-1234567)."))
    out["phone"] = phone or None
    address = text("address")
    if len(address) > 500:
        fail("address", _("אפשר להזין עד 500 תווים."))
    out["address"] = address or None
    website = text("website")
    if website and "://" not in website:
        website = "https://" + website
    if website and (not URL_PATTERN.fullmatch(website) or len(website) > 2000):
        fail("website", _("כתובת האתר אינה תקינה (לדוגמה: https://studio.co.il)."))
    out["website"] = website or None

    color = text("primary_color")
    if data.get("default_color") or not color:
        out["primary_color"] = None
    elif not COLOR_PATTERN.fullmatch(color):
        fail("primary_color", _("יש לבחור צבע בפורמט #RRGGBB (לדוגמה: #3399FF)."))
    else:
        out["primary_color"] = color.upper()

    choices = (
        ("business_type", STUDIO_BUSINESS_TYPES),
        ("currency", CURRENCIES),
        ("timezone", tuple(TIMEZONES) + ((current_timezone,) if current_timezone else ())),
        ("date_format", DATE_FORMATS),
        ("default_billing_type", BILLING_TYPES),
        ("markup_type", MARKUP_TYPES),
    )
    for field, allowed in choices:
        out[field] = text(field)
        if out[field] not in allowed:
            fail(field, _("יש לבחור מתוך הרשימה."))
    month = text("fiscal_year_start")
    if not month.isdigit() or not 1 <= int(month) <= 12:
        fail("fiscal_year_start", _("יש לבחור חודש מהרשימה."))
    else:
        out["fiscal_year_start"] = int(month)

    out["vat_rate"] = _decimal(errors, "vat_rate", data.get("vat_rate"))
    out["default_hourly_rate"] = _decimal(
        errors,
        "default_hourly_rate",
        data.get("default_hourly_rate"),
        high=Decimal("999999999"),
        required=out.get("default_billing_type") == "hourly",
    )
    for field in ("default_markup_percent", "disbursement_percent", "default_retainer_percent"):
        out[field] = _decimal(errors, field, data.get(field))
    if errors:
        raise ValidationFailed(errors)
    return out


def _fee_json(value):
    return None if value is None else (str(value) if isinstance(value, Decimal) else value)


def update_studio(
    actor, tenant: Tenant, data: dict, cf_form=None, origin: RequestInfo | None = None
) -> dict:
    """Save the studio settings (and the studio's custom fields): all or nothing.

    Returns {field: {"old", "new"}}; writes the activity log and the audit log.
    Raises ValidationFailed (custom-field errors under "cf-<key>") or PermissionDenied.
    """
    if not actor.has("can_manage_settings"):
        raise PermissionDenied(_("אין לך הרשאה לשנות את הגדרות הסטודיו."))
    errors = {}
    try:
        values = clean_studio_values(data, tenant.timezone)
    except ValidationFailed as error:
        errors.update(error.errors)
    cf_errors = cf_form.validate() if cf_form is not None else {}
    errors.update({f"{CF_PREFIX}-{key}": messages for key, messages in cf_errors.items()})
    if errors:
        raise ValidationFailed(errors)

    changes = {}
    for field in TENANT_FIELDS:
        old, new = getattr(tenant, field), values[field]
        if old != new:
            changes[field] = {"old": _fee_json(old), "new": _fee_json(new)}
            setattr(tenant, field, new)
    old_fees = fee_settings_of(tenant)
    new_fees = dict(tenant.fee_settings or default_fee_settings())
    for key in FEE_KEYS:
        if old_fees.get(key) != values[key]:
            changes[f"fee_settings.{key}"] = {
                "old": _fee_json(old_fees.get(key)),
                "new": _fee_json(values[key]),
            }
            new_fees[key] = _fee_json(values[key])
    if any(key.startswith("fee_settings.") for key in changes):
        tenant.fee_settings = new_fees  # a new dict, so the JSON column is saved
    if cf_form is not None:
        cf_changes = cf_form.save(actor, entity_id=tenant.id, entity=tenant, record=False)
        changes.update({f"custom.{key}": change for key, change in cf_changes.items()})
    if not changes:
        return changes
    db.session.flush()
    record_activity(actor, "updated", tenant, changes=changes, entity_type="tenant")
    record_audit(
        "settings.update",
        user=actor.user,
        tenant_id=tenant.id,
        role=actor.role,
        entity=tenant,
        entity_name=tenant.name,
        changes=[{"field": k, "old": v["old"], "new": v["new"]} for k, v in changes.items()],
        origin=origin,
    )
    publish("tenant", "entity_updated", entity_type="tenant", id=str(tenant.id))
    return changes


# --- routes -----------------------------------------------------------------------------


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

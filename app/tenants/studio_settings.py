"""The studio's own settings: details, business settings, fees, and its custom fields.

Later modules read them with `fee_settings_of(tenant)` (Decimals) and the Tenant columns
(`currency`, `vat_rate`, `timezone`, `date_format`, `fiscal_year_start`).
"""

import re
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.activity.labels import register_entity_kind
from app.activity.services import record_activity
from app.audit.services import RequestInfo, record_audit
from app.core.errors import PermissionDenied, ValidationFailed
from app.core.validators import EMAIL_PATTERN, NAME_PATTERN, PHONE_PATTERN
from app.custom_fields.component import PREFIX as CF_PREFIX
from app.custom_fields.types import parse_decimal
from app.extensions import db
from app.realtime import publish
from app.tenants.branding import COLOR_PATTERN
from app.tenants.labels import (
    BILLING_TYPES,
    CURRENCIES,
    DATE_FORMATS,
    MARKUP_TYPES,
    STUDIO_BUSINESS_TYPES,
    TIMEZONES,
)
from app.tenants.models import Tenant, default_fee_settings

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


LOGO_TYPES = {"image/png", "image/jpeg", "image/webp"}


def set_logo(actor, tenant: Tenant, upload, origin: RequestInfo) -> None:
    """Store an uploaded logo (PNG, JPEG or WebP) and make it the studio's logo."""
    from app.files.services import save_upload

    if not actor.has("can_manage_settings"):
        raise PermissionDenied(_("אין לך הרשאה לשנות את הגדרות הסטודיו."))
    stored = save_upload(actor, upload, field="logo")
    if stored.content_type not in LOGO_TYPES:
        raise ValidationFailed({"logo": [_("הלוגו צריך להיות תמונה מסוג PNG,‏ JPEG או WebP.")]})
    old = tenant.logo
    tenant.logo = str(stored.id)
    record_activity(actor, "updated", tenant, changes={"logo": {"old": old, "new": tenant.logo}})
    record_audit(
        "settings.update",
        user=actor.user,
        tenant_id=tenant.id,
        role=actor.role,
        entity=tenant,
        entity_name=tenant.name,
        changes=[{"field": "logo", "old": old, "new": tenant.logo}],
        origin=origin,
    )


def remove_logo(actor, tenant: Tenant, origin: RequestInfo) -> None:
    if not actor.has("can_manage_settings"):
        raise PermissionDenied(_("אין לך הרשאה לשנות את הגדרות הסטודיו."))
    if tenant.logo:
        record_activity(
            actor, "updated", tenant, changes={"logo": {"old": tenant.logo, "new": None}}
        )
        tenant.logo = None


register_entity_kind(
    "tenant",
    _l("הגדרות הסטודיו"),
    {
        "name": _l("שם הסטודיו"),
        "email": _l("אימייל"),
        "phone": _l("טלפון"),
        "address": _l("כתובת"),
        "website": _l("אתר"),
        "primary_color": _l("צבע ראשי"),
        "business_type": _l("סוג העסק"),
        "currency": _l("מטבע"),
        "vat_rate": _l("מע״מ"),
        "fiscal_year_start": _l("תחילת שנת הכספים"),
        "timezone": _l("אזור זמן"),
        "date_format": _l("תבנית תאריך"),
        "logo": _l("לוגו"),
        "fee_settings.default_billing_type": _l("סוג חיוב ברירת מחדל"),
        "fee_settings.default_hourly_rate": _l("תעריף שעתי"),
        "fee_settings.default_markup_percent": _l("אחוז תוספת"),
        "fee_settings.markup_type": _l("סוג תוספת"),
        "fee_settings.disbursement_percent": _l("אחוז הוצאות"),
        "fee_settings.default_retainer_percent": _l("אחוז מקדמה"),
    },
)

"""Jinja filters and globals: locale-aware dates and translated enum labels."""

from flask import g
from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l

DEVICE_LABELS = {"desktop": _l("מחשב"), "mobile": _l("טלפון"), "tablet": _l("טאבלט")}


def tenant_timezone() -> str:
    """Flask-Babel's timezone selector: the current studio's timezone."""
    membership = g.get("membership") if g else None
    return membership.tenant.timezone if membership else "Asia/Jerusalem"


DATE_PATTERNS = {"DD/MM/YYYY": "dd/MM/yyyy", "MM/DD/YYYY": "MM/dd/yyyy", "YYYY-MM-DD": "yyyy-MM-dd"}


def datetime_short(value) -> str:
    """A date and time in the studio's date format (Hebrew default DD/MM/YYYY, 24 h; English
    uses 12 h), in the studio's timezone."""
    if value is None:
        return ""
    from flask_babel import get_locale

    from app.core.db import as_utc

    english = str(get_locale()) == "en"
    membership = g.get("membership") if g else None
    studio_format = membership.tenant.date_format if membership else None
    default = "MM/DD/YYYY" if english else "DD/MM/YYYY"
    date_pattern = DATE_PATTERNS.get(studio_format or default, DATE_PATTERNS[default])
    pattern = f"{date_pattern} {'h:mm a' if english else 'HH:mm'}"
    # Isolated left-to-right, so "22/11/2026 14:05" keeps its order inside Hebrew text.
    return "\u2066" + format_datetime(as_utc(value), pattern, rebase=True) + "\u2069"


def studio_today():
    """Today's date in the studio's timezone (expiry highlights, "days left")."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo(tenant_timezone())).date()


def date_short(value) -> str:
    """A date in the studio's date format (Hebrew default DD/MM/YYYY)."""
    if value is None:
        return ""
    from flask_babel import format_date, get_locale

    membership = g.get("membership") if g else None
    default = "MM/DD/YYYY" if str(get_locale()) == "en" else "DD/MM/YYYY"
    studio_format = membership.tenant.date_format if membership else None
    pattern = DATE_PATTERNS.get(studio_format or default, DATE_PATTERNS[default])
    return "\u2066" + format_date(value, pattern) + "\u2069"


def activity_value(value) -> str:
    """Old/new values in the activity feed: yes/no for booleans, a dash for nothing."""
    from flask_babel import gettext as _

    if value is None or value == "":
        return "—"
    if value is True:
        return _("כן")
    if value is False:
        return _("לא")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def attrsafe(value) -> str:
    """Translated text inside an HTML attribute: newstyle gettext marks its result safe (the
    variables in it are escaped), so a literal quote of the message itself would end the
    attribute. Escapes only those quotes."""
    from markupsafe import Markup

    return Markup(str(value).replace('"', "&#34;"))


def register_templating(app) -> None:
    from app.tenants.labels import BUSINESS_TYPE_LABELS, PERMISSION_LABELS, role_label

    app.add_template_filter(role_label, "role_label")
    app.add_template_filter(lambda v: str(DEVICE_LABELS.get(v, v)), "device_label")
    app.add_template_filter(lambda v: str(BUSINESS_TYPE_LABELS.get(v, v)), "business_type_label")
    app.add_template_filter(datetime_short, "datetime_short")
    app.add_template_filter(date_short, "date_short")
    app.add_template_filter(attrsafe, "attrsafe")
    app.add_template_global(studio_today, "today")

    def permission_labels_for(membership) -> list[str]:
        return [
            str(label) for flag, label in PERMISSION_LABELS.items() if getattr(membership, flag)
        ]

    app.add_template_global(permission_labels_for, "permission_labels_for")

    from app.activity.labels import ACTION_LABELS, entity_kind_label, field_label

    app.add_template_filter(lambda v: str(ACTION_LABELS.get(v, v)), "activity_action")
    app.add_template_filter(entity_kind_label, "activity_entity_kind")
    app.add_template_filter(activity_value, "activity_value")
    app.add_template_global(field_label, "field_label")

    from app.settings.tabs import settings_tabs

    app.add_template_global(settings_tabs, "settings_tabs")

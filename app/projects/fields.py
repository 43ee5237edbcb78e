"""Every field of a project and of a room, once (see app/core/fieldspec.py)."""

from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core.fieldspec import FieldSpec, clean_specs, display
from app.core.fieldspec import name_field as _name
from app.core.fieldspec import percent_field as _percent
from app.core.fieldspec import text_field as _text
from app.projects import vocab

PRICE_MAX = Decimal(999999999)
END_BEFORE_START = _l("תאריך סיום חייב להיות אחרי תאריך התחלה")


def _money(key, label, **kw):
    return FieldSpec(key, label, "decimal", minimum=Decimal(0), maximum=PRICE_MAX, suffix="₪", **kw)


PROJECT_FIELDS = (
    _name("name", _l("שם הפרויקט")),
    FieldSpec("description", _l("תיאור"), "textarea", max_length=5000, inline=False),
    FieldSpec("type_key", _l("סוג פרויקט"), "config", config_kind="project_type"),
    FieldSpec("status_key", _l("סטטוס"), "config", required=True, config_kind="project_status"),
    FieldSpec("phase_key", _l("שלב"), "config", config_kind="project_phase"),
    FieldSpec("priority", _l("עדיפות"), "choice", required=True, choices=vocab.PRIORITY_LABELS),
    FieldSpec("is_vip", _l("VIP"), "bool"),
    _text("address", _l("כתובת"), 255),
    _text("city", _l("עיר")),
    FieldSpec(
        "area", _l("שטח"), "decimal", minimum=Decimal(0), maximum=Decimal(100000), suffix="מ״ר"
    ),
    FieldSpec("floors", _l("קומות"), "int", minimum=0, maximum=200),
    _money("budget", _l("תקציב"), financial=True),
    FieldSpec(
        "billing_type",
        _l("שיטת תמחור"),
        "choice",
        required=True,
        choices=vocab.BILLING_TYPE_LABELS,
        financial=True,
    ),
    _money("fixed_fee", _l("שכר טרחה קבוע"), financial=True),
    _money("hourly_rate", _l("תעריף שעתי"), financial=True),
    FieldSpec(
        "estimated_hours",
        _l("שעות משוערות"),
        "decimal",
        minimum=Decimal(0),
        maximum=Decimal(100000),
        financial=True,
    ),
    _percent("percentage_of_budget", _l("אחוז מהתקציב"), financial=True),
    _percent("markup_percent", _l("תוספת רווח"), financial=True),
    FieldSpec("scope", _l("היקף העבודה"), "textarea", max_length=5000, inline=False),
    FieldSpec("deliverables", _l("תוצרים"), "tags", inline=False),
    FieldSpec("revisions_included", _l("סבבי תיקונים כלולים"), "int", minimum=0, maximum=50),
    FieldSpec("requires_permit", _l("נדרש היתר"), "bool"),
    FieldSpec("permit_status", _l("סטטוס היתר"), "choice", choices=vocab.PERMIT_STATUS_LABELS),
    _text("permit_number", _l("מספר היתר"), 50),
    FieldSpec("start_date", _l("תאריך התחלה"), "date"),
    FieldSpec("expected_end_date", _l("תאריך סיום צפוי"), "date"),
    FieldSpec("actual_end_date", _l("תאריך סיום בפועל"), "date"),
)

ROOM_FIELDS = (
    _name("name", _l("שם החדר")),
    FieldSpec("type_key", _l("סוג חדר"), "config", config_kind="room_type"),
    FieldSpec(
        "area", _l("שטח"), "decimal", minimum=Decimal(0), maximum=Decimal(100000), suffix="מ״ר"
    ),
    _money("budget", _l("תקציב"), financial=True),
    FieldSpec(
        "design_status",
        _l("סטטוס עיצוב"),
        "choice",
        required=True,
        choices=vocab.DESIGN_STATUS_LABELS,
    ),
    FieldSpec("notes", _l("הערות"), "textarea", max_length=5000, inline=False),
)

PROJECT_SPECS = {spec.key: spec for spec in PROJECT_FIELDS}
ROOM_SPECS = {spec.key: spec for spec in ROOM_FIELDS}


def visible_specs(specs, membership, *, editing: bool = False) -> list[FieldSpec]:
    """Budget and fees need can_view_financials (or can_edit_financials to change them)."""
    flag = "can_edit_financials" if editing else "can_view_financials"
    return [s for s in specs if not s.financial or membership.has(flag)]


def clean_project(data: dict, membership, *, partial: bool, current=None) -> tuple[dict, dict]:
    """Clean project input; dates must not end before they start (spec section מ)."""
    values, errors = clean_specs(
        visible_specs(PROJECT_FIELDS, membership, editing=True), data, partial=partial
    )
    start = values.get("start_date", getattr(current, "start_date", None))
    for key in ("expected_end_date", "actual_end_date"):
        end = values.get(key, getattr(current, key, None))
        touched = key in values or "start_date" in values
        if touched and start and end and end < start and key not in errors:
            errors[key] = [str(END_BEFORE_START)]
    return values, errors


def clean_room(data: dict, membership, *, partial: bool) -> tuple[dict, dict]:
    return clean_specs(visible_specs(ROOM_FIELDS, membership, editing=True), data, partial=partial)


def project_display(key: str, value) -> str:
    return display(PROJECT_SPECS.get(key), value)


def room_display(key: str, value) -> str:
    return display(ROOM_SPECS.get(key), value)


def unknown_fields_error(keys) -> dict:
    return {k: [_("אי אפשר לערוך את השדה הזה כאן.")] for k in keys}

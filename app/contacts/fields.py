"""Every field of the three contact kinds, once: its label, type and rules (spec section מ).

The create panel, the edit form, inline edits, bulk actions and the CSV import all clean input
through `clean_values`, so a value is accepted or refused the same way everywhere.

    values, errors = clean_values("client", {"name": "...", "phone": "..."}, partial=True)
"""

from decimal import Decimal

from flask_babel import lazy_gettext as _l

from app.contacts import vocab
from app.core.fieldspec import (  # noqa: F401  (re-exported for the contacts modules)
    FieldSpec,
    clean_specs,
    clean_value,
    config_choices,
    config_entries,
    display,
    phone_digits,
)
from app.core.fieldspec import name_field as _name
from app.core.fieldspec import percent_field as _percent
from app.core.fieldspec import rating_field as _rating
from app.core.fieldspec import text_field as _text

_COMMON_TAIL = (FieldSpec("notes", _l("הערות"), "textarea", max_length=5000, inline=False),)

CLIENT_FIELDS = (
    _name("name", _l("שם")),
    FieldSpec("type", _l("סוג לקוח"), "choice", required=True, choices=vocab.CLIENT_TYPE_LABELS),
    FieldSpec("status", _l("סטטוס"), "choice", required=True, choices=vocab.CLIENT_STATUS_LABELS),
    # Spec section מ: a client's e-mail is required.
    FieldSpec("email", _l("אימייל"), "email", required=True, max_length=255),
    FieldSpec("phone", _l("טלפון"), "phone", max_length=20),
    FieldSpec("mobile", _l("נייד"), "phone", max_length=20),
    FieldSpec(
        "preferred_communication",
        _l("ערוץ מועדף"),
        "choice",
        required=True,
        choices=vocab.PREFERRED_COMMUNICATION_LABELS,
    ),
    _text("best_time_to_contact", _l("זמן נוח ליצירת קשר")),
    _text("address", _l("כתובת"), 255),
    _text("city", _l("עיר")),
    _text("company_number", _l("ח.פ / ע.מ"), 20),
    _text("contact_person", _l("איש קשר")),
    FieldSpec("lead_source", _l("מקור ליד"), "config", config_kind="lead_source"),
    FieldSpec("lead_score", _l("ציון ליד"), "int", minimum=0, maximum=100),
    FieldSpec("lead_stage", _l("שלב ליד"), "choice", choices=vocab.LEAD_STAGE_LABELS, inline=False),
    FieldSpec("lost_reason", _l("סיבת אובדן"), "text", max_length=500, inline=False),
    FieldSpec("style_preferences", _l("העדפות סגנון"), "tags", inline=False),
    _text("budget_range", _l("טווח תקציב")),
    _text("referred_by", _l("הופנה על ידי")),
    FieldSpec("anniversary_date", _l("תאריך יום נישואין"), "date", inline=False),
    _rating("satisfaction_rating", _l("שביעות רצון (1-5)")),
    FieldSpec("would_recommend", _l("ימליץ עלינו"), "bool", inline=False, nullable_bool=True),
    FieldSpec("testimonial", _l("המלצה"), "textarea", max_length=5000, inline=False),
) + _COMMON_TAIL

SUPPLIER_FIELDS = (
    _name("name", _l("שם")),
    FieldSpec("category_key", _l("קטגוריה"), "config", config_kind="supplier_category"),
    FieldSpec("email", _l("אימייל"), "email", max_length=255),
    FieldSpec("phone", _l("טלפון"), "phone", max_length=20),
    FieldSpec("website", _l("אתר"), "url", max_length=2000),
    _text("contact_person", _l("איש קשר")),
    _text("address", _l("כתובת"), 255),
    _text("city", _l("עיר")),
    _text("company_number", _l("ח.פ / ע.מ"), 20),
    _text("payment_terms", _l("תנאי תשלום"), 200, financial=True),
    _percent("discount_percent", _l("הנחה"), financial=True),
    FieldSpec("credit_days", _l("ימי אשראי"), "int", minimum=0, maximum=365, financial=True),
    FieldSpec(
        "minimum_order",
        _l("הזמנת מינימום"),
        "decimal",
        minimum=Decimal(0),
        maximum=Decimal(999999999),
        financial=True,
        suffix="₪",
    ),
    FieldSpec("has_trade_account", _l("חשבון סחר"), "bool", financial=True),
    _text("trade_account_number", _l("מספר חשבון סחר"), 50, financial=True),
    _percent("trade_discount_percent", _l("הנחת סחר"), financial=True),
    _rating("rating", _l("דירוג (1-5)")),
    FieldSpec("reliability_score", _l("ציון אמינות"), "int", minimum=0, maximum=100),
) + _COMMON_TAIL

PROFESSIONAL_FIELDS = (
    _name("name", _l("שם")),
    _name("company_name", _l("שם החברה"), required=False),
    FieldSpec("trade_key", _l("מקצוע"), "config", required=True, config_kind="trade"),
    # Spec entity 4: a professional's phone is required.
    FieldSpec("phone", _l("טלפון"), "phone", required=True, max_length=20),
    FieldSpec("email", _l("אימייל"), "email", max_length=255),
    _text("license_number", _l("מספר רישיון"), 50),
    FieldSpec("insurance_expiry", _l("תוקף ביטוח"), "date"),
    _rating("rating", _l("דירוג (1-5)")),
    FieldSpec("specialties", _l("התמחויות"), "tags", inline=False),
) + _COMMON_TAIL

FIELDS = {"client": CLIENT_FIELDS, "supplier": SUPPLIER_FIELDS, "professional": PROFESSIONAL_FIELDS}
SPECS = {kind: {spec.key: spec for spec in specs} for kind, specs in FIELDS.items()}


def spec_for(kind: str, key: str) -> FieldSpec | None:
    return SPECS.get(kind, {}).get(key)


def visible_specs(kind: str, membership, *, editing: bool = False) -> list[FieldSpec]:
    """The fields this member may see (or edit): commercial terms need the financial flags."""
    flag = "can_edit_financials" if editing else "can_view_financials"
    return [s for s in FIELDS[kind] if not s.financial or membership.has(flag)]


def clean_values(kind: str, data: dict, *, partial: bool = False, specs=None) -> tuple[dict, dict]:
    """Clean `data` against the kind's fields (or `specs`): see `fieldspec.clean_specs`."""
    return clean_specs(specs if specs is not None else FIELDS[kind], data, partial=partial)


def display_value(kind: str, key: str, value) -> str:
    """A stored value as people read it (enum and list names in Hebrew)."""
    return display(spec_for(kind, key), value)

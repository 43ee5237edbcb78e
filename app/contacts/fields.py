"""Every field of the three contact kinds, once: its label, type and rules (spec section מ).

The create panel, the edit form, inline edits, bulk actions and the CSV import all clean input
through `clean_values`, so a value is accepted or refused the same way everywhere.

    values, errors = clean_values("client", {"name": "...", "phone": "..."}, partial=True)
"""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask import g, has_app_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.configuration import services as config
from app.contacts import vocab
from app.core.tenancy import current_tenant_id
from app.core.validators import EMAIL_PATTERN, NAME_PATTERN, PHONE_PATTERN
from app.custom_fields.types import DATE_MAX, DATE_MIN, parse_date, parse_decimal

URL_PATTERN = re.compile(r"https?://.+", re.IGNORECASE)
BARE_DOMAIN = re.compile(r"[\w\-]+(\.[\w\-]+)+(/\S*)?", re.UNICODE)
TRUE_WORDS = {"1", "true", "yes", "y", "on", "כן", "v", "✓"}
FALSE_WORDS = {"0", "false", "no", "n", "off", "לא", ""}
CENT = Decimal("0.01")


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: object  # lazy Hebrew string
    type: str  # name text textarea email phone url int decimal date bool choice config tags
    required: bool = False
    max_length: int | None = None
    minimum: object = None
    maximum: object = None
    choices: dict = field(default_factory=dict)  # for "choice": {value: label}
    config_kind: str | None = None  # for "config": a configuration kind
    financial: bool = False  # commercial terms: needs can_view_financials / can_edit_financials
    inline: bool = True  # editable in a list cell
    suffix: str | None = None  # shown in the input box ("%", "₪")

    @property
    def input_type(self) -> str:
        return {
            "email": "email",
            "phone": "tel",
            "url": "url",
            "int": "number",
            "decimal": "text",
            "date": "date",
        }.get(self.type, "text")


def _name(key, label, required=True):
    return FieldSpec(key, label, "name", required=required, max_length=100)


def _text(key, label, max_length=100, **kw):
    return FieldSpec(key, label, "text", max_length=max_length, **kw)


def _percent(key, label, **kw):
    return FieldSpec(
        key, label, "decimal", minimum=Decimal(0), maximum=Decimal(100), suffix="%", **kw
    )


def _rating(key, label):
    return FieldSpec(key, label, "int", minimum=1, maximum=5)


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
    FieldSpec("would_recommend", _l("ימליץ עלינו"), "bool", inline=False),
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


def phone_digits(value: str | None) -> str | None:
    """Digits only, with Israel's +972 folded to a leading 0, for matching phones."""
    digits = re.sub(r"[^0-9]", "", value or "")
    if digits.startswith("972"):
        digits = "0" + digits[3:]
    return digits or None


# ---------------------------------------------------------------------------------------------
# Cleaning one value
# ---------------------------------------------------------------------------------------------


def _as_text(raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, list | tuple):
        return ", ".join(str(v) for v in raw)
    return str(raw).strip()


def _clean_choice(spec: FieldSpec, text: str):
    if text in spec.choices:
        return text, None
    # The CSV import may carry the Hebrew (or English) name instead of the key.
    for key, label in spec.choices.items():
        if text.casefold() in (str(label).casefold(), key.replace("_", " ")):
            return key, None
    return None, _("יש לבחור אחת מהאפשרויות ברשימה.")


def config_entries(kind: str) -> list:
    """The entries of a configuration kind, once per request (list pages show many).

    Cached per studio too: a job or `seed-demo` works on several studios in one app context.
    """
    cache = g.setdefault("_contacts_config", {}) if has_app_context() else {}
    cache_key = (current_tenant_id(), kind)
    if cache_key not in cache:
        cache[cache_key] = config.entries(kind, active_only=False)
    return cache[cache_key]


def config_choices(kind: str, current: str | None = None) -> list[tuple[str, str]]:
    return [(e.key, e.label) for e in config_entries(kind) if e.is_active or e.key == current]


def _clean_config(spec: FieldSpec, text: str):
    options = [e for e in config_entries(spec.config_kind) if e.is_active]
    for entry in options:
        if text in (entry.key, str(entry.id)) or text.casefold() in (
            entry.name.casefold(),
            (entry.name_en or "").casefold(),
        ):
            return entry.key, None
    return None, _("הערך לא נמצא ברשימה (אפשר להוסיף אותו בהגדרות ← רשימות).")


def _clean_number(spec: FieldSpec, text: str):
    number = parse_decimal(text)
    if number is None:
        return None, _("יש להזין מספר.")
    if spec.type == "int":
        if number != number.to_integral_value():
            return None, _("יש להזין מספר שלם.")
        number = int(number)
    else:
        number = number.quantize(CENT, rounding=ROUND_HALF_UP)
    if spec.minimum is not None and number < spec.minimum:
        return None, _("הערך המינימלי הוא %(min)s.", min=spec.minimum)
    if spec.maximum is not None and number > spec.maximum:
        return None, _("הערך המקסימלי הוא %(max)s.", max=spec.maximum)
    return number, None


def _clean_text_like(spec: FieldSpec, text: str):
    kind = spec.type
    if kind == "name":
        text = re.sub(r"\s+", " ", text)
        if not 2 <= len(text) <= (spec.max_length or 100):
            return None, _("יש להזין בין 2 ל-%(max)d תווים.", max=spec.max_length or 100)
        if not NAME_PATTERN.fullmatch(text):
            return None, _("אפשר להשתמש באותיות, ספרות, רווחים וסימנים - _ . , & ' \" בלבד.")
        return text, None
    if kind == "email":
        text = text.lower()
        if len(text) > 255 or not EMAIL_PATTERN.fullmatch(text):
            return None, _("כתובת האימייל אינה תקינה (לדוגמה: name@studio.co.il).")
        return text, None
    if kind == "phone":
        if not PHONE_PATTERN.fullmatch(text) or not 9 <= len(text) <= 20:
            return None, _("מספר הטלפון אינו תקין (לדוגמה: 050-1234567).")
        return text, None
    if kind == "url":
        if not URL_PATTERN.fullmatch(text) and BARE_DOMAIN.fullmatch(text):
            text = "https://" + text  # "www.studio.co.il" is what people type
        if len(text) > 2000 or not URL_PATTERN.fullmatch(text) or " " in text:
            return None, _("כתובת האתר אינה תקינה (לדוגמה: https://www.example.co.il).")
        return text, None
    if spec.max_length and len(text) > spec.max_length:
        return None, _("אפשר להזין עד %(max)d תווים.", max=spec.max_length)
    return text, None


def clean_value(kind: str, spec: FieldSpec, raw):
    """(value, None) or (None, Hebrew message). Empty optional input cleans to None."""
    if spec.type == "bool":
        if isinstance(raw, bool):
            return raw, None
        text = _as_text(raw).casefold()
        if text in TRUE_WORDS:
            return True, None
        if text in FALSE_WORDS:
            return (None if spec.key == "would_recommend" and not text else False), None
        return None, _("יש לבחור כן או לא.")
    if spec.type == "tags":
        parts = raw if isinstance(raw, list | tuple) else [raw]
        items = [t for part in parts for t in re.split(r"[,;\n]", _as_text(part))]
        tags = [re.sub(r"\s+", " ", str(t)).strip() for t in items]
        tags = list(dict.fromkeys(t for t in tags if t))
        if any(len(t) > 50 for t in tags) or len(tags) > 30:
            return None, _("עד 30 פריטים, כל אחד עד 50 תווים.")
        return tags, None
    text = _as_text(raw)
    if not text:
        if spec.required:
            return None, _("שדה חובה.")
        return None, None
    if spec.type == "choice":
        return _clean_choice(spec, text)
    if spec.type == "config":
        return _clean_config(spec, text)
    if spec.type in ("int", "decimal"):
        return _clean_number(spec, text)
    if spec.type == "date":
        parsed = parse_date(text)
        if parsed is None:
            return None, _("התאריך אינו תקין (לדוגמה: 31/12/2026).")
        if not DATE_MIN <= parsed <= DATE_MAX:
            return None, _("התאריך צריך להיות בין 1900 ל-2100.")
        return parsed, None
    return _clean_text_like(spec, text)


def clean_values(kind: str, data: dict, *, partial: bool = False, specs=None) -> tuple[dict, dict]:
    """Clean `data` against the kind's fields: (values, {field: [message]}).

    `partial=True` cleans only the keys present (inline edit, bulk, an update form);
    otherwise every field is cleaned and missing required ones are errors.
    """
    specs = specs if specs is not None else FIELDS[kind]
    values, errors = {}, {}
    for spec in specs:
        if partial and spec.key not in data:
            continue
        value, error = clean_value(kind, spec, data.get(spec.key))
        if error:
            errors[spec.key] = [error]
        else:
            values[spec.key] = value
    return values, errors


def display_value(kind: str, key: str, value) -> str:
    """A stored value as people read it (enum and list names in Hebrew)."""
    spec = spec_for(kind, key)
    if value is None or value == "" or value == []:
        return ""
    if spec is None:
        return str(value)
    if spec.type == "choice":
        return str(spec.choices.get(value, value))
    if spec.type == "config":
        entry = next((e for e in config_entries(spec.config_kind) if e.key == value), None)
        return entry.label if entry else str(value)
    if spec.type == "bool":
        return _("כן") if value else _("לא")
    if spec.type == "tags":
        return ", ".join(value)
    if spec.type == "date" and isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        # 12.50 → 12.5, 1500.00 → 1,500: the same figure on the list, the page and exports.
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
        return text
    return str(value)

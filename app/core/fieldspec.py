"""Fields described once (label, type, rules) and cleaned the same way everywhere: forms,
inline edits, bulk actions, CSV imports. Follows the spec's validation rules (section מ).

    NAME = FieldSpec("name", _l("שם"), "name", required=True, max_length=100)
    value, error = clean_value(NAME, "  דנה  כהן ")     # ("דנה כהן", None)
    values, errors = clean_specs([NAME, ...], request.form, partial=True)
    text = display(spec, value)                        # Hebrew names of enums and lists

Modules keep their own field lists (app/contacts/fields.py, app/projects/fields.py).
"""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask import g, has_app_context
from flask_babel import gettext as _

from app.configuration import services as config
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
    nullable_bool: bool = False  # a yes / no that may also be "not known" (empty → None)

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


def name_field(key, label, required=True):
    return FieldSpec(key, label, "name", required=required, max_length=100)


def text_field(key, label, max_length=100, **kw):
    return FieldSpec(key, label, "text", max_length=max_length, **kw)


def percent_field(key, label, **kw):
    return FieldSpec(
        key, label, "decimal", minimum=Decimal(0), maximum=Decimal(100), suffix="%", **kw
    )


def rating_field(key, label):
    return FieldSpec(key, label, "int", minimum=1, maximum=5)


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
    cache = g.setdefault("_fieldspec_config", {}) if has_app_context() else {}
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


def clean_value(spec: FieldSpec, raw):
    """(value, None) or (None, Hebrew message). Empty optional input cleans to None."""
    if spec.type == "bool":
        if isinstance(raw, bool):
            return raw, None
        text = _as_text(raw).casefold()
        if text in TRUE_WORDS:
            return True, None
        if text in FALSE_WORDS:
            return (None if spec.nullable_bool and not text else False), None
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


def clean_specs(specs, data: dict, *, partial: bool = False) -> tuple[dict, dict]:
    """Clean `data` against `specs`: (values, {field: [message]}).

    `partial=True` cleans only the keys present (inline edit, bulk, an update form);
    otherwise every field is cleaned and missing required ones are errors.
    """
    values, errors = {}, {}
    for spec in specs:
        if partial and spec.key not in data:
            continue
        value, error = clean_value(spec, data.get(spec.key))
        if error:
            errors[spec.key] = [error]
        else:
            values[spec.key] = value
    return values, errors


def display(spec: FieldSpec | None, value) -> str:
    """A stored value as people read it (enum and list names in Hebrew)."""
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

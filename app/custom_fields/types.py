"""The 13 field types: parse form input into the stored string, and the stored string back.

    stored, error = clean(definition, raw, tz)   # raw: str, list[str] (multiselect) or bool
    value = parse_stored(definition, stored, tz) # Decimal, date, datetime (UTC), bool, list, str
    text = display(definition, value, tz)

`clean` returns (None, None) for an empty optional value (nothing is stored), and
(None, "Hebrew message") when the input is invalid. `definition` is anything with the
attributes of `CustomFieldDefinition` (a model instance, or a draft during validation).
"""

import json
import re
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import ngettext

from app.core.validators import EMAIL_PATTERN, PHONE_PATTERN

NUMERIC_TYPES = ("number", "currency")
DATE_TYPES = ("date", "datetime")
CHOICE_TYPES = ("select", "multiselect")
TEXT_TYPES = ("text", "textarea", "url", "email", "phone")  # length and pattern apply
MAX_LENGTH = {"text": 500, "textarea": 5000, "url": 2000, "email": 255, "phone": 20, "file": 500}
NUMBER_LIMIT = Decimal("999999999999")
PRICE_MAX = Decimal("999999999")
DATE_MIN, DATE_MAX = date(1900, 1, 1), date(2100, 12, 31)
URL_PATTERN = re.compile(r"https?://\S+", re.IGNORECASE)
CENT = Decimal("0.01")


def _tz(tz) -> ZoneInfo:
    return tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz or "Asia/Jerusalem")


def parse_decimal(text: str) -> Decimal | None:
    """'1,234.50' → Decimal('1234.50'); None when it is not a finite number."""
    text = (text or "").strip().replace(",", "").replace(" ", "").replace("\u200f", "")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def parse_date(text: str) -> date | None:
    """ISO (what <input type=date> sends) or DD/MM/YYYY (typed by hand)."""
    text = (text or "").strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def parse_local_datetime(text: str) -> datetime | None:
    """<input type=datetime-local> sends 2026-05-01T14:30 (seconds optional)."""
    text = (text or "").strip().replace(" ", "T")
    for pattern in ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%d/%m/%YT%H:%M"):
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


def parse_bound(field_type: str, text: str | None):
    """A definition's min/max as the type compares it (Decimal or date); None when blank/bad."""
    if text in (None, ""):
        return None
    if field_type in NUMERIC_TYPES:
        return parse_decimal(text)
    if field_type in DATE_TYPES:
        return parse_date(text)
    return None


def _fmt_number(value: Decimal) -> str:
    return f"{value:,f}"


def _check_bounds(definition, value, shown=str) -> str | None:
    low = parse_bound(definition.field_type, definition.min_value)
    high = parse_bound(definition.field_type, definition.max_value)
    if low is not None and value < low:
        return _("הערך חייב להיות %(min)s לפחות.", min=shown(low))
    if high is not None and value > high:
        return _("הערך יכול להיות %(max)s לכל היותר.", max=shown(high))
    return None


def _check_text(definition, text: str) -> str | None:
    limit = MAX_LENGTH.get(definition.field_type, 500)
    max_length = min(definition.max_length or limit, limit)
    if definition.min_length and len(text) < definition.min_length:
        return ngettext(
            "יש להזין לפחות תו אחד.", "יש להזין לפחות %(num)d תווים.", definition.min_length
        )
    if len(text) > max_length:
        return ngettext("אפשר להזין תו אחד.", "אפשר להזין עד %(num)d תווים.", max_length)
    if definition.pattern:
        try:
            matched = re.fullmatch(definition.pattern, text)
        except re.error:
            matched = True  # a broken pattern never blocks data entry; the definition says so
        if not matched:
            return definition.pattern_message or _("הערך אינו בפורמט הנדרש.")
    return None


def _option_values(definition) -> list[str]:
    return [o.get("value") for o in definition.options or []]


def is_empty(raw) -> bool:
    if raw is None or raw is False:
        return True
    if isinstance(raw, list | tuple):
        return not any(str(v).strip() for v in raw)
    return str(raw).strip() == ""


def clean(definition, raw, tz=None) -> tuple[str | None, str | None]:
    """Validate one input value; return (stored string or None, error message or None)."""
    kind = definition.field_type
    if kind == "boolean":
        checked = raw is True or str(raw).strip().lower() in ("y", "on", "true", "1", "yes")
        if definition.is_required and not checked:
            return None, _("יש לסמן את השדה.")
        return ("true" if checked else "false"), None
    if is_empty(raw):
        if definition.is_required:
            return None, (
                _("יש לבחור לפחות אפשרות אחת.") if kind == "multiselect" else _("שדה חובה.")
            )
        return None, None
    if kind == "multiselect":
        chosen = [str(v) for v in (raw if isinstance(raw, list | tuple) else [raw]) if str(v)]
        allowed = _option_values(definition)
        if any(v not in allowed for v in chosen):
            return None, _("יש לבחור מתוך האפשרויות ברשימה.")
        return json.dumps([v for v in allowed if v in chosen], ensure_ascii=False), None

    text = str(raw[0] if isinstance(raw, list | tuple) else raw).strip()
    if kind == "select":
        if text not in _option_values(definition):
            return None, _("יש לבחור אחת מהאפשרויות ברשימה.")
        return text, None
    if kind in NUMERIC_TYPES:
        number = parse_decimal(text)
        if number is None or abs(number) > NUMBER_LIMIT:
            return None, _("יש להזין מספר (לדוגמה: 1250.5).")
        if kind == "currency":
            if number.as_tuple().exponent < -2:
                return None, _("סכום יכול לכלול עד שתי ספרות אחרי הנקודה.")
            if number < 0 and definition.min_value in (None, ""):
                return None, _("הסכום לא יכול להיות שלילי.")
            if number > PRICE_MAX:
                return None, _("הסכום גדול מדי.")
            number = number.quantize(CENT, rounding=ROUND_HALF_UP)
        error = _check_bounds(definition, number, _fmt_number)
        return (
            (None, error)
            if error
            else (format(number.normalize() if kind == "number" else number, "f"), None)
        )
    if kind == "date":
        value = parse_date(text)
        if value is None:
            return None, _("יש להזין תאריך תקין (יום/חודש/שנה).")
        if not DATE_MIN <= value <= DATE_MAX:
            return None, _("התאריך חייב להיות בין 1900 ל-2100.")
        error = _check_bounds(definition, value, lambda d: d.strftime("%d/%m/%Y"))
        return (None, error) if error else (value.isoformat(), None)
    if kind == "datetime":
        local = parse_local_datetime(text)
        if local is None:
            return None, _("יש להזין תאריך ושעה תקינים.")
        if not DATE_MIN <= local.date() <= DATE_MAX:
            return None, _("התאריך חייב להיות בין 1900 ל-2100.")
        error = _check_bounds(definition, local.date(), lambda d: d.strftime("%d/%m/%Y"))
        if error:
            return None, error
        return local.replace(tzinfo=_tz(tz)).astimezone(UTC).isoformat(timespec="minutes"), None
    if kind == "email":
        if len(text) > 255 or not EMAIL_PATTERN.fullmatch(text):
            return None, _("כתובת האימייל אינה תקינה (לדוגמה: name@studio.co.il).")
        text = text.lower()
    elif kind == "phone":
        if not PHONE_PATTERN.fullmatch(text) or not 9 <= len(text) <= 20:
            return None, _("מספר הטלפון אינו תקין (לדוגמה: 050-1234567).")
    elif kind in ("url", "file"):
        if kind == "url" and "://" not in text and "." in text and " " not in text:
            text = "https://" + text
        if not URL_PATTERN.fullmatch(text) or len(text) > MAX_LENGTH[kind]:
            return None, (
                _("יש להזין קישור לקובץ שמתחיל ב-https://.")
                if kind == "file"
                else _("כתובת האתר אינה תקינה (לדוגמה: https://studio.co.il).")
            )
        if kind == "file":
            return text, None
    error = _check_text(definition, text)
    return (None, error) if error else (text, None)


def parse_stored(definition, stored: str | None, tz=None):
    """The stored string as a Python value of the field's type (None when absent or unreadable)."""
    if stored is None:
        return None
    kind = definition.field_type
    try:
        if kind in NUMERIC_TYPES:
            return Decimal(stored)
        if kind == "date":
            return date.fromisoformat(stored)
        if kind == "datetime":
            return datetime.fromisoformat(stored).astimezone(UTC)
        if kind == "boolean":
            return stored == "true"
        if kind == "multiselect":
            value = json.loads(stored)
            return value if isinstance(value, list) else []
    except (InvalidOperation, ValueError, TypeError):
        return None
    return stored


def to_input(definition, stored: str | None, tz=None):
    """The stored string as a form control's initial data."""
    value = parse_stored(definition, stored, tz)
    kind = definition.field_type
    if value is None:
        return [] if kind == "multiselect" else (False if kind == "boolean" else "")
    if kind == "datetime":
        return value.astimezone(_tz(tz)).strftime("%Y-%m-%dT%H:%M")
    if kind == "date":
        return value.isoformat()
    if kind in NUMERIC_TYPES:
        return format(value, "f")
    return value


def display(definition, value, tz=None) -> str:
    """A parsed value as short text for lists and cards."""
    if value is None or value == [] or value == "":
        return ""
    kind = definition.field_type
    labels = {o.get("value"): o.get("label") for o in definition.options or []}
    if kind == "boolean":
        return _("כן") if value else _("לא")
    if kind == "select":
        return labels.get(value, value)
    if kind == "multiselect":
        return ", ".join(labels.get(v, v) for v in value)
    if kind == "currency":
        return f"{value:,.2f}"
    if kind == "number":
        return _fmt_number(value)
    if kind == "date":
        return value.strftime("%d/%m/%Y")
    if kind == "datetime":
        return value.astimezone(_tz(tz)).strftime("%d/%m/%Y %H:%M")
    return str(value)

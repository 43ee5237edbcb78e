"""Value validation per field type (all 13), without HTTP or database."""

from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from app.custom_fields import types
from app.custom_fields.models import FIELD_TYPES


def d(field_type, **extra):
    base = dict(
        field_type=field_type,
        is_required=False,
        min_value=None,
        max_value=None,
        min_length=None,
        max_length=None,
        pattern=None,
        pattern_message=None,
        options=[
            {"value": "oak", "label": "אלון", "color": "#8B5A2B"},
            {"value": "walnut", "label": "אגוז", "color": None},
        ],
    )
    return SimpleNamespace(**(base | extra))


@pytest.fixture(autouse=True)
def _ctx(ctx):
    yield


# (type, good input, stored string, parsed value, bad input, message fragment)
CASES = [
    ("text", " שלום ", "שלום", "שלום", "x" * 501, "עד 500"),
    ("textarea", "שורה\nשנייה", "שורה\nשנייה", "שורה\nשנייה", "x" * 5001, "עד 5000"),
    ("number", "1,250.50", "1250.5", Decimal("1250.5"), "שתיים", "מספר"),
    ("currency", "99.9", "99.90", Decimal("99.90"), "1.005", "שתי ספרות"),
    ("date", "2026-03-01", "2026-03-01", date(2026, 3, 1), "2026-02-30", "תאריך"),
    ("date", "01/03/2026", "2026-03-01", date(2026, 3, 1), "1800-01-01", "1900"),
    ("datetime", "2026-03-01T10:30", "2026-03-01T08:30+00:00", None, "מחר", "תאריך ושעה"),
    ("select", "oak", "oak", "oak", "pine", "מהאפשרויות"),
    ("multiselect", ["walnut", "oak"], '["oak", "walnut"]', ["oak", "walnut"], ["pine"], "מתוך"),
    ("boolean", "y", "true", True, None, None),
    ("url", "studio.co.il", "https://studio.co.il", "https://studio.co.il", "not a url", "אתר"),
    ("email", "Dana@Studio.co.il", "dana@studio.co.il", "dana@studio.co.il", "dana@", "אימייל"),
    ("phone", "050-1234567", "050-1234567", "050-1234567", "12", "טלפון"),
    ("file", "https://files.example/a.pdf", "https://files.example/a.pdf", None, "a.pdf", "קישור"),
]


def test_every_field_type_is_covered():
    assert {case[0] for case in CASES} == set(FIELD_TYPES)


@pytest.mark.parametrize(("kind", "good", "stored", "parsed", "bad", "message"), CASES)
def test_each_type_cleans_parses_and_rejects(kind, good, stored, parsed, bad, message):
    definition = d(kind)
    value, error = types.clean(definition, good, "Asia/Jerusalem")
    assert error is None and value == stored
    back = types.parse_stored(definition, value, "Asia/Jerusalem")
    if parsed is not None:
        assert back == parsed
    if bad is not None:
        value, error = types.clean(definition, bad, "Asia/Jerusalem")
        assert value is None and message in error


def test_datetime_is_stored_in_utc_and_shown_in_the_studio_zone():
    definition = d("datetime")
    stored, _ = types.clean(definition, "2026-07-01T09:00", "Asia/Jerusalem")  # UTC+3 in summer
    value = types.parse_stored(definition, stored)
    assert value == datetime(2026, 7, 1, 6, 0, tzinfo=UTC)
    assert types.to_input(definition, stored, "Asia/Jerusalem") == "2026-07-01T09:00"
    assert types.display(definition, value, "Asia/Jerusalem") == "01/07/2026 09:00"


@pytest.mark.parametrize("kind", [k for k in FIELD_TYPES if k != "boolean"])
def test_required_rejects_empty_and_optional_stores_nothing(kind):
    assert types.clean(d(kind), "", None) == (None, None)
    value, error = types.clean(d(kind, is_required=True), [] if kind == "multiselect" else "  ")
    assert value is None and error


def test_required_boolean_must_be_checked_and_unchecked_is_false():
    assert types.clean(d("boolean"), None) == ("false", None)
    assert types.clean(d("boolean", is_required=True), None)[1] == "יש לסמן את השדה."


def test_number_and_date_bounds():
    number = d("number", min_value="0", max_value="100")
    assert types.clean(number, "100")[0] == "100"
    assert "לפחות" in types.clean(number, "-1")[1]
    assert "לכל היותר" in types.clean(number, "100.5")[1]
    day = d("date", min_value="2026-01-01", max_value="2026-12-31")
    assert "31/12/2026" in types.clean(day, "2027-01-01")[1]
    assert types.clean(day, "2026-06-15")[0] == "2026-06-15"


def test_currency_is_decimal_never_negative_by_default():
    money = d("currency")
    assert types.clean(money, "-5")[1] == "הסכום לא יכול להיות שלילי."
    assert types.parse_stored(money, types.clean(money, "1234")[0]) == Decimal("1234.00")
    assert types.display(money, Decimal("1234.5")) == "1,234.50"


def test_text_length_and_pattern_with_custom_message():
    code = d("text", min_length=3, max_length=5, pattern=r"[A-Z]+", pattern_message="אותיות גדולות")
    assert "לפחות 3" in types.clean(code, "AB")[1]
    assert "עד 5" in types.clean(code, "ABCDEF")[1]
    assert types.clean(code, "abcd")[1] == "אותיות גדולות"
    assert types.clean(code, "ABCD") == ("ABCD", None)
    # fullmatch: a trailing newline does not sneak past the pattern
    assert types.clean(d("text", pattern=r"[0-9]{3}"), "123x")[1] == "הערך אינו בפורמט הנדרש."


def test_display_uses_option_labels():
    assert types.display(d("select"), "oak") == "אלון"
    assert types.display(d("multiselect"), ["oak", "walnut"]) == "אלון, אגוז"
    assert types.display(d("boolean"), False) == "לא"

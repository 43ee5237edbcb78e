"""Cleaning contact input (spec section מ): every field type, required fields per kind,
choices and configuration lists by key or by name, and how values read back."""

from datetime import date
from decimal import Decimal

import pytest

from app.configuration import services as config
from app.contacts.fields import (
    clean_value,
    clean_values,
    display_value,
    phone_digits,
    spec_for,
    visible_specs,
)
from tests.contacts.conftest import membership


def clean(kind, key, raw):
    return clean_value(spec_for(kind, key), raw)


def accepted(kind, key, raw):
    value, error = clean(kind, key, raw)
    assert error is None, f"{raw!r} refused: {error}"
    return value


def refused(kind, key, raw) -> str:
    value, error = clean(kind, key, raw)
    assert error and value is None, f"{raw!r} accepted as {value!r}"
    return error


@pytest.mark.parametrize(
    "raw, stored",
    [
        ("דנה כהן", "דנה כהן"),
        ("Dana Cohen", "Dana Cohen"),
        ("  דנה    כהן ", "דנה כהן"),  # spaces folded
        ("ג'ני לוי", "ג'ני לוי"),  # geresh typed as an apostrophe
        ('אדריכלות ש"ל בע"מ', 'אדריכלות ש"ל בע"מ'),  # gershayim as a double quote
        ("ג׳ני א״ב", "ג׳ני א״ב"),  # the Hebrew geresh and gershayim themselves
        ("Smith & Co., Ltd.", "Smith & Co., Ltd."),
        ("דירה-12_ב", "דירה-12_ב"),
        ("אב", "אב"),  # two characters is the minimum
        ("א" * 100, "א" * 100),
    ],
)
def test_names_accepted(owner, raw, stored):
    assert accepted("client", "name", raw) == stored


@pytest.mark.parametrize(
    "raw", ["א", "x", "א" * 101, "דנה@כהן", "Dana <b>", "שלום!", "a/b", "😀😀"]
)
def test_names_refused(owner, raw):
    refused("client", "name", raw)


def test_email_pattern_length_and_lower_case(owner):
    assert accepted("client", "email", "  Dana.Cohen@Example.CO.IL ") == "dana.cohen@example.co.il"
    for bad in ("dana", "dana@", "dana@example", "da na@example.com", "@example.com"):
        refused("client", "email", bad)
    refused("client", "email", "a" * 250 + "@x.com")
    assert "name@studio.co.il" in refused("client", "email", "not-an-email")
    # Optional for suppliers, required for clients (spec section מ, Client).
    assert clean("supplier", "email", "") == (None, None)
    assert refused("client", "email", "") == "שדה חובה."


@pytest.mark.parametrize("raw", ["050-1234567", "+972 50 123 4567", "(03) 123-4567", "0501234567"])
def test_phone_accepted_as_typed(owner, raw):
    assert accepted("client", "phone", raw) == raw


@pytest.mark.parametrize(
    "raw", ["050-123", "12345678", "050 1234567 ext 12", "050#1234567", "1" * 21]
)
def test_phone_refused(owner, raw):
    assert "050-1234567" in refused("client", "phone", raw)


def test_phone_digits_fold_israeli_prefix():
    assert phone_digits("+972 50-123-4567") == phone_digits("050-1234567") == "0501234567"
    assert phone_digits("(03) 123.45.67") == "031234567"
    assert phone_digits("") is None and phone_digits(None) is None and phone_digits("--") is None


def test_url_gets_https_and_is_checked(owner):
    assert accepted("supplier", "website", "www.ace.co.il") == "https://www.ace.co.il"
    assert accepted("supplier", "website", "ace.co.il/catalog") == "https://ace.co.il/catalog"
    assert accepted("supplier", "website", "http://ace.co.il") == "http://ace.co.il"
    for bad in ("not a url", "ftp://ace.co.il", "https://ace .co.il", "https://" + "a" * 2000):
        refused("supplier", "website", bad)


def test_percentages_money_and_integers(owner):
    assert accepted("supplier", "discount_percent", "12.5") == Decimal("12.50")
    assert accepted("supplier", "discount_percent", "0") == Decimal("0.00")
    assert accepted("supplier", "discount_percent", "100") == Decimal("100.00")
    assert accepted("supplier", "discount_percent", "7.125") == Decimal("7.13")  # 2 places
    assert "100" in refused("supplier", "discount_percent", "100.01")
    refused("supplier", "discount_percent", "-1")
    refused("supplier", "discount_percent", "עשרה")
    assert accepted("supplier", "minimum_order", "1,500.50") == Decimal("1500.50")
    assert accepted("supplier", "minimum_order", "999999999") == Decimal("999999999.00")
    refused("supplier", "minimum_order", "1000000000")
    refused("supplier", "minimum_order", "-0.01")
    assert accepted("supplier", "credit_days", "30") == 30
    assert accepted("supplier", "credit_days", "45.0") == 45
    assert refused("supplier", "credit_days", "30.5") == "יש להזין מספר שלם."
    refused("supplier", "credit_days", "366")
    assert accepted("client", "lead_score", "100") == 100
    refused("client", "lead_score", "101")
    refused("client", "lead_score", "nan")


@pytest.mark.parametrize("kind, key", [("client", "satisfaction_rating"), ("supplier", "rating")])
def test_ratings_one_to_five(owner, kind, key):
    assert [accepted(kind, key, str(n)) for n in range(1, 6)] == [1, 2, 3, 4, 5]
    refused(kind, key, "0")
    refused(kind, key, "6")


def test_dates_iso_and_israeli_within_range(owner):
    assert accepted("professional", "insurance_expiry", "2026-12-31") == date(2026, 12, 31)
    assert accepted("professional", "insurance_expiry", "31/12/2026") == date(2026, 12, 31)
    assert accepted("professional", "insurance_expiry", "1900-01-01") == date(1900, 1, 1)
    assert accepted("professional", "insurance_expiry", "31/12/2100") == date(2100, 12, 31)
    assert "1900" in refused("professional", "insurance_expiry", "1899-12-31")
    refused("professional", "insurance_expiry", "2101-01-01")
    refused("professional", "insurance_expiry", "31/02/2026")
    refused("professional", "insurance_expiry", "12/31/2026")  # month 31
    refused("professional", "insurance_expiry", "מחר")


def test_choices_by_key_or_hebrew_label(owner):
    assert accepted("client", "status", "active") == "active"
    assert accepted("client", "status", "פעיל") == "active"
    assert accepted("client", "status", "לקוח עבר") == "past"
    assert accepted("client", "preferred_communication", "וואטסאפ") == "whatsapp"
    assert accepted("client", "lead_stage", "proposal sent") == "proposal_sent"
    assert refused("client", "status", "VIP") == "יש לבחור אחת מהאפשרויות ברשימה."


def test_booleans_and_tags(owner):
    assert accepted("supplier", "has_trade_account", "כן") is True
    assert accepted("supplier", "has_trade_account", "") is False
    assert accepted("client", "would_recommend", "") is None  # not asked yet
    assert accepted("client", "would_recommend", "לא") is False
    refused("supplier", "has_trade_account", "אולי")
    tags = accepted("client", "style_preferences", "מודרני, כפרי;  מודרני \n סקנדינבי")
    assert tags == ["מודרני", "כפרי", "סקנדינבי"]
    refused("client", "style_preferences", ["x" * 51])


@pytest.mark.parametrize(
    "kind, key, by_key, by_name",
    [
        ("client", "lead_source", "instagram", "אינסטגרם"),
        ("supplier", "category_key", "lighting", "תאורה"),
        ("professional", "trade_key", "electrician", "חשמלאי"),
    ],
)
def test_config_lists_by_key_hebrew_or_english_name(owner, kind, key, by_key, by_name):
    assert accepted(kind, key, by_key) == by_key
    assert accepted(kind, key, by_name) == by_key
    english = config.get_by_key(spec_for(kind, key).config_kind, by_key).name_en
    assert accepted(kind, key, english.upper()) == by_key
    assert "הגדרות" in refused(kind, key, "no-such-entry")


def test_inactive_config_entry_is_refused_but_still_displayed(owner):
    entry = config.get_by_key("trade", "painter")
    config.set_active(owner, entry, False)
    refused("professional", "trade_key", "painter")
    assert display_value("professional", "trade_key", "painter") == "צבעי"


def test_required_fields_per_kind(owner):
    _values, errors = clean_values("client", {})
    assert set(errors) == {"name", "type", "status", "email", "preferred_communication"}
    _values, errors = clean_values("supplier", {})
    assert set(errors) == {"name"}
    _values, errors = clean_values("professional", {"name": "יוסי"})
    assert set(errors) == {"trade_key", "phone"}  # spec entity 4: trade and phone
    values, errors = clean_values("professional", {"name": "יוסי"}, partial=True)
    assert values == {"name": "יוסי"} and errors == {}


def test_clean_values_reports_every_bad_field(owner):
    values, errors = clean_values(
        "supplier",
        {"name": "ספק", "email": "x", "discount_percent": "150", "rating": "3"},
        partial=True,
    )
    assert set(errors) == {"email", "discount_percent"} and values == {"name": "ספק", "rating": 3}
    assert all(isinstance(m, str) for msgs in errors.values() for m in msgs)


def test_financial_fields_follow_the_flags(studio, owner):
    manager, member = membership(studio, "manager"), membership(studio, "member")
    financial = {"payment_terms", "discount_percent", "credit_days", "minimum_order"}
    assert financial <= {s.key for s in visible_specs("supplier", owner, editing=True)}
    assert financial <= {s.key for s in visible_specs("supplier", manager)}  # may view
    assert not financial & {s.key for s in visible_specs("supplier", manager, editing=True)}
    assert not financial & {s.key for s in visible_specs("supplier", member)}
    assert len(visible_specs("client", member, editing=True)) == len(visible_specs("client", owner))


def test_display_values_read_in_hebrew(owner):
    assert display_value("client", "status", "past") == "לקוח עבר"
    assert display_value("client", "lead_source", "referral") == "המלצה"
    assert display_value("supplier", "has_trade_account", True) == "כן"
    assert display_value("professional", "insurance_expiry", date(2026, 3, 1)) == "01/03/2026"
    assert display_value("client", "style_preferences", ["מודרני", "כפרי"]) == "מודרני, כפרי"
    assert display_value("client", "city", None) == "" and display_value("client", "x", 5) == "5"

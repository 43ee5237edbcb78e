"""Translatable labels for tenant enums."""

from flask_babel import lazy_gettext as _l

ROLE_LABELS = {"owner": _l("בעלים"), "manager": _l("מנהל/ת"), "member": _l("חבר/ת צוות")}

PERMISSION_LABELS = {
    "can_view_financials": _l("צפייה בנתונים כספיים"),
    "can_edit_financials": _l("עריכת נתונים כספיים"),
    "can_manage_users": _l("ניהול משתמשים"),
    "can_delete_records": _l("מחיקת רשומות"),
    "can_access_all_projects": _l("גישה לכל הפרויקטים"),
    "can_manage_settings": _l("ניהול הגדרות"),
}

BUSINESS_TYPE_LABELS = {
    "interior_design": _l("עיצוב פנים"),
    "architecture": _l("אדריכלות"),
    "both": _l("אדריכלות ועיצוב פנים"),
    "events": _l("אירועים"),
}

INVITATION_STATUS_LABELS = {
    "pending": _l("ממתינה"),
    "accepted": _l("התקבלה"),
    "expired": _l("פג תוקף"),
    "cancelled": _l("בוטלה"),
}


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


# Choices of the studio settings page (/settings/studio).
CURRENCIES = {
    "ILS": _l("שקל חדש (₪)"),
    "USD": _l("דולר אמריקאי ($)"),
    "EUR": _l("אירו (€)"),
    "GBP": _l("לירה שטרלינג (£)"),
}
MONTHS = {
    1: _l("ינואר"),
    2: _l("פברואר"),
    3: _l("מרץ"),
    4: _l("אפריל"),
    5: _l("מאי"),
    6: _l("יוני"),
    7: _l("יולי"),
    8: _l("אוגוסט"),
    9: _l("ספטמבר"),
    10: _l("אוקטובר"),
    11: _l("נובמבר"),
    12: _l("דצמבר"),
}
TIMEZONES = {
    "Asia/Jerusalem": _l("ישראל (ירושלים)"),
    "Europe/London": _l("לונדון"),
    "Europe/Paris": _l("פריז"),
    "Europe/Berlin": _l("ברלין"),
    "Europe/Athens": _l("אתונה"),
    "Europe/Moscow": _l("מוסקבה"),
    "Asia/Dubai": _l("דובאי"),
    "Asia/Kolkata": _l("הודו"),
    "Asia/Shanghai": _l("סין"),
    "Asia/Tokyo": _l("טוקיו"),
    "Australia/Sydney": _l("סידני"),
    "America/New_York": _l("ניו יורק"),
    "America/Chicago": _l("שיקגו"),
    "America/Denver": _l("דנוור"),
    "America/Los_Angeles": _l("לוס אנג'לס"),
    "America/Sao_Paulo": _l("סאו פאולו"),
    "UTC": _l("UTC"),
}
DATE_FORMATS = {
    "DD/MM/YYYY": _l("יום/חודש/שנה (31/12/2026)"),
    "MM/DD/YYYY": _l("חודש/יום/שנה (12/31/2026)"),
    "YYYY-MM-DD": _l("שנה-חודש-יום (2026-12-31)"),
}
BILLING_TYPES = {
    "fixed": _l("מחיר קבוע"),
    "hourly": _l("לפי שעה"),
    "percentage": _l("אחוז מתקציב הפרויקט"),
    "cost_plus": _l("עלות ועוד תוספת"),
    "hybrid": _l("משולב"),
}
MARKUP_TYPES = {
    "cost_plus": _l("תוספת על מחיר העלות"),
    "discount_off_retail": _l("הנחה ממחיר הקטלוג"),
}
# Business types a studio can pick here ("events" belongs to the events product's sign-up).
STUDIO_BUSINESS_TYPES = ("interior_design", "architecture", "both")

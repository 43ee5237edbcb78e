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

"""Hebrew names of the projects' enums."""

from flask_babel import lazy_gettext as _l

PRIORITY_LABELS = {"low": _l("נמוכה"), "medium": _l("בינונית"), "high": _l("גבוהה")}
PRIORITY_VARIANTS = {"low": "neutral", "medium": "info", "high": "warning"}
BILLING_TYPE_LABELS = {
    "fixed": _l("מחיר קבוע"),
    "hourly": _l("לפי שעה"),
    "percentage": _l("אחוז מהתקציב"),
    "cost_plus": _l("עלות + רווח"),
    "hybrid": _l("משולב"),
}
PERMIT_STATUS_LABELS = {
    "not_required": _l("לא נדרש"),
    "preparing": _l("בהכנה"),
    "submitted": _l("הוגש"),
    "in_review": _l("בבדיקה"),
    "approved": _l("אושר"),
    "rejected": _l("נדחה"),
    "appealed": _l("בערעור"),
}
DESIGN_STATUS_LABELS = {
    "not_started": _l("טרם התחיל"),
    "concept": _l("קונספט"),
    "detailed": _l("תכנון מפורט"),
    "approved": _l("אושר"),
    "in_progress": _l("בביצוע"),
    "completed": _l("הושלם"),
}

"""Hebrew words for the activity feed: actions, entity kinds, field names.

Modules register their entity kinds and field names once, at import time:
    register_entity_kind("project", _l("פרויקט"), {"name": _l("שם"), "budget": _l("תקציב")})
"""

from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    "created": _l("יצר/ה"),
    "updated": _l("עדכן/ה"),
    "deleted": _l("מחק/ה"),
    "approved": _l("אישר/ה"),
    "rejected": _l("דחה/תה"),
    "sent": _l("שלח/ה"),
    "viewed": _l("צפה/תה ב"),
    "commented": _l("הגיב/ה על"),
    "status_changed": _l("שינה/תה סטטוס של"),
    "assigned": _l("הקצה/תה את"),
}

_entity_kinds: dict[str, object] = {}
_field_labels: dict[str, dict[str, object]] = {}


def register_entity_kind(entity_type: str, label, fields: dict | None = None) -> None:
    _entity_kinds[entity_type] = label
    _field_labels.setdefault(entity_type, {}).update(fields or {})


def entity_kind_label(entity_type: str) -> str:
    return str(_entity_kinds.get(entity_type, entity_type.replace("_", " ")))


def field_label(entity_type: str, field: str) -> str:
    label = _field_labels.get(entity_type, {}).get(field)
    return str(label) if label else field.replace("_", " ")


def entity_kinds() -> list[tuple[str, str]]:
    return sorted(((k, str(v)) for k, v in _entity_kinds.items()), key=lambda kv: kv[1])


register_entity_kind(
    "membership",
    _l("חבר/ת צוות"),
    {
        "role": _l("תפקיד"),
        "is_active": _l("פעיל/ה"),
        "can_view_financials": _l("צפייה בנתונים כספיים"),
        "can_edit_financials": _l("עריכת נתונים כספיים"),
        "can_manage_users": _l("ניהול משתמשים"),
        "can_delete_records": _l("מחיקת רשומות"),
        "can_access_all_projects": _l("גישה לכל הפרויקטים"),
        "can_manage_settings": _l("ניהול הגדרות"),
    },
)
register_entity_kind("team_invitation", _l("הזמנה לצוות"), {"role": _l("תפקיד")})

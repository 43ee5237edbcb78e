"""Every field of a task, once (see app/core/fieldspec.py), and the Hebrew names of its enums.

The spec's rules (digest F §3.8): title 1–500 characters, description up to 5000, dates
between 1900 and 2100 (and the due date not before the start date), estimated hours 0–1000.
The assignee and the project are checked by the services (they depend on who is asking).
"""

import re
from datetime import time

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core.fieldspec import FieldSpec, clean_specs, display

PRIORITY_LABELS = {
    "low": _l("נמוכה"),
    "medium": _l("בינונית"),
    "high": _l("גבוהה"),
    "urgent": _l("דחופה"),
}
PRIORITY_VARIANTS = {"low": "neutral", "medium": "info", "high": "warning", "urgent": "error"}
REMINDER_TYPES = {
    "notification": _l("התראה באפליקציה"),
    "email": _l("אימייל"),
    "sms": _l("SMS"),
}
# Minutes before the due date (and time) a reminder goes out.
REMINDER_OFFSETS = {
    0: _l("בזמן היעד"),
    15: _l("רבע שעה לפני"),
    60: _l("שעה לפני"),
    180: _l("שלוש שעות לפני"),
    1440: _l("יום לפני"),
    2880: _l("יומיים לפני"),
    10080: _l("שבוע לפני"),
}
MAX_REMINDERS = 5
LINKED_ENTITY_LABELS = {
    "room": _l("חדר"),
    "product": _l("מוצר"),
    "payment": _l("תשלום"),
    "document": _l("מסמך"),
    "change_order": _l("הזמנת שינוי"),
}
TIME_PATTERN = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])(:[0-5][0-9])?")

TASK_FIELDS = (
    FieldSpec("title", _l("כותרת"), "text", required=True, max_length=500),
    FieldSpec("description", _l("תיאור"), "textarea", max_length=5000, inline=False),
    FieldSpec("status_key", _l("סטטוס"), "config", required=True, config_kind="task_status"),
    FieldSpec("priority", _l("עדיפות"), "choice", required=True, choices=PRIORITY_LABELS),
    FieldSpec("category_key", _l("קטגוריה"), "text", max_length=64, inline=False),
    FieldSpec("assigned_user_id", _l("אחראי/ת"), "text"),  # checked by the services
    FieldSpec("due_date", _l("תאריך יעד"), "date"),
    FieldSpec("due_time", _l("שעת יעד"), "text", inline=False),  # HH:MM, cleaned below
    FieldSpec("start_date", _l("תאריך התחלה"), "date", inline=False),
    FieldSpec("estimated_hours", _l("שעות משוערות"), "int", minimum=0, maximum=1000, inline=False),
)
SPECS = {spec.key: spec for spec in TASK_FIELDS}
INLINE_KEYS = ("title", "status_key", "assigned_user_id", "due_date", "priority")
# Cleaned here; the assignee and project are the services' (they need the actor).
CLEANED_HERE = tuple(k for k in SPECS if k != "assigned_user_id")


def parse_time(text) -> tuple[time | None, str | None]:
    text = str(text or "").strip()
    if not text:
        return None, None
    match = TIME_PATTERN.fullmatch(text)
    if not match:
        return None, _("השעה אינה תקינה (לדוגמה: 14:30).")
    return time(int(match.group(1)), int(match.group(2))), None


def clean_task(data: dict, *, partial: bool, current=None) -> tuple[dict, dict]:
    """Clean the task's own fields in `data`; `current` (the stored task) completes the
    cross-field rules of a partial update. Returns (values, {field: [message]})."""
    specs = [SPECS[k] for k in CLEANED_HERE if k != "due_time"]
    values, errors = clean_specs(specs, data, partial=partial)
    if "due_time" in data or not partial:
        due_time, error = parse_time(data.get("due_time"))
        if error:
            errors["due_time"] = [error]
        else:
            values["due_time"] = due_time

    def final(key):
        return values[key] if key in values else getattr(current, key, None)

    start, due = final("start_date"), final("due_date")
    if start and due and due < start and not ({"start_date", "due_date"} & set(errors)):
        key = "due_date" if "due_date" in values else "start_date"
        errors[key] = [_("תאריך היעד לא יכול להיות לפני תאריך ההתחלה.")]
    if final("due_time") and not due and "due_time" not in errors:
        errors["due_time"] = [_("שעת יעד צריכה גם תאריך יעד.")]
    return values, errors


def task_display(key: str, value) -> str:
    if key == "due_time" and value is not None:
        return value.strftime("%H:%M")
    return display(SPECS.get(key), value)

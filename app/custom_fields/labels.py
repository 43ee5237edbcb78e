"""Hebrew labels for entity types and field types."""

from flask_babel import lazy_gettext as _l

ENTITY_TYPE_LABELS = {
    "project": _l("פרויקטים"),
    "client": _l("לקוחות"),
    "supplier": _l("ספקים"),
    "product": _l("מוצרים"),
    "room": _l("חדרים"),
    "task": _l("משימות"),
    "professional": _l("אנשי מקצוע"),
    "tenant": _l("פרופיל הסטודיו"),
}

FIELD_TYPE_LABELS = {
    "text": _l("טקסט"),
    "textarea": _l("טקסט ארוך"),
    "number": _l("מספר"),
    "currency": _l("סכום כספי"),
    "date": _l("תאריך"),
    "datetime": _l("תאריך ושעה"),
    "select": _l("בחירה יחידה"),
    "multiselect": _l("בחירה מרובה"),
    "boolean": _l("כן/לא"),
    "url": _l("קישור"),
    "email": _l("אימייל"),
    "phone": _l("טלפון"),
    "file": _l("קובץ (קישור)"),
}

FLAG_LABELS = {
    "show_in_list": _l("ברשימה"),
    "show_in_card": _l("בכרטיס"),
    "show_in_portal": _l("בפורטל הלקוח"),
    "show_in_filter": _l("בסינון"),
}

"""Hebrew names of the configurable kinds (what the settings page and other modules show)."""

from flask_babel import lazy_gettext as _l

from app.configuration.models import ENTITY_TYPES

KIND_LABELS = {
    "project_type": _l("סוגי פרויקטים"),
    "project_status": _l("סטטוסי פרויקט"),
    "project_phase": _l("שלבי פרויקט"),
    "task_status": _l("סטטוסי משימה"),
    "product_category": _l("קטגוריות מוצרים"),
    "room_type": _l("סוגי חדרים"),
    "supplier_category": _l("קטגוריות ספקים"),
    "trade": _l("מקצועות"),
    "document_category": _l("סוגי מסמכים"),
    "expense_category": _l("סוגי הוצאות"),
    "lead_source": _l("מקורות לידים"),
}

KIND_HINTS = {
    "project_type": _l("לדוגמה: דירה, וילה, משרד"),
    "project_status": _l("המצב הכללי של פרויקט, והמעברים המותרים ביניהם"),
    "project_phase": _l("שלבי העבודה בפרויקט, לפי הסדר"),
    "task_status": _l("המצבים של משימה, והמעברים המותרים ביניהם"),
    "product_category": _l("לדוגמה: ריהוט, תאורה, טקסטיל"),
    "room_type": _l("לדוגמה: סלון, מטבח, חדר שינה"),
    "supplier_category": _l("לדוגמה: ריהוט, פרזול, בדים"),
    "trade": _l("בעלי המקצוע שעובדים אתכם: חשמלאי, אינסטלטור, נגר"),
    "document_category": _l("לדוגמה: תוכניות, חוזים, הצעות מחיר"),
    "expense_category": _l("לדוגמה: נסיעות, חומרים, שירותים"),
    "lead_source": _l("מאיפה מגיעים לקוחות חדשים: המלצה, אינסטגרם, אתר"),
}

assert set(KIND_LABELS) == set(ENTITY_TYPES)


def kind_label(entity_type: str) -> str:
    return str(KIND_LABELS.get(entity_type, entity_type))

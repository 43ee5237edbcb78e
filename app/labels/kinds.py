"""Hebrew names of the entity kinds a label can apply to."""

from flask_babel import lazy_gettext as _l

from app.labels.models import LABEL_ENTITY_TYPES

LABEL_TYPE_LABELS = {
    "project": _l("פרויקטים"),
    "client": _l("לקוחות"),
    "supplier": _l("ספקים"),
    "professional": _l("בעלי מקצוע"),
    "task": _l("משימות"),
    "product": _l("מוצרים"),
    "document": _l("מסמכים"),
}

assert tuple(LABEL_TYPE_LABELS) == LABEL_ENTITY_TYPES

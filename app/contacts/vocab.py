"""Hebrew names of the contacts' enums (statuses, lead stages, communication types)."""

from flask_babel import lazy_gettext as _l

CLIENT_TYPE_LABELS = {"individual": _l("פרטי"), "company": _l("חברה")}
CLIENT_STATUS_LABELS = {
    "lead": _l("ליד"),
    "active": _l("פעיל"),
    "past": _l("לקוח עבר"),
    "inactive": _l("לא פעיל"),
}
CLIENT_STATUS_VARIANTS = {
    "lead": "info",
    "active": "success",
    "past": "neutral",
    "inactive": "warning",
}
PREFERRED_COMMUNICATION_LABELS = {
    "phone": _l("טלפון"),
    "email": _l("אימייל"),
    "whatsapp": _l("וואטסאפ"),
}
LEAD_STAGE_LABELS = {
    "new": _l("חדש"),
    "contacted": _l("נוצר קשר"),
    "meeting": _l("פגישה"),
    "proposal_sent": _l("הצעה נשלחה"),
    "won": _l("נסגר בהצלחה"),
    "lost": _l("אבד"),
}
COMMUNICATION_TYPE_LABELS = {
    "phone": _l("שיחה"),
    "email": _l("אימייל"),
    "whatsapp": _l("וואטסאפ"),
    "meeting": _l("פגישה"),
    "note": _l("הערה"),
    "sms": _l("SMS"),
}
DIRECTION_LABELS = {"outgoing": _l("יוצא"), "incoming": _l("נכנס")}
KIND_LABELS = {"client": _l("לקוח"), "supplier": _l("ספק"), "professional": _l("בעל מקצוע")}
KIND_PLURAL_LABELS = {
    "client": _l("לקוחות"),
    "supplier": _l("ספקים"),
    "professional": _l("בעלי מקצוע"),
}
# The ?tab= of /contacts for each kind.
TABS = {"clients": "client", "suppliers": "supplier", "professionals": "professional"}
TAB_OF = {kind: tab for tab, kind in TABS.items()}


def choices(labels: dict) -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label in labels.items()]

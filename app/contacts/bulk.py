"""Bulk actions on selected contacts, each returning what undoing it takes.

result = apply(actor, "client", ids, "status", "active")
result.count, result.undo  # undo: a payload for app.core.undo, or None
revert(actor, result.undo)
"""

from dataclasses import dataclass

from flask_babel import gettext as _

from app.contacts import permissions, services
from app.contacts.fields import spec_for
from app.core.errors import ValidationFailed
from app.labels import services as labels

ACTIONS = ("label_add", "label_remove", "status", "lead_source", "archive", "restore")
MAX_SELECTION = 5000


@dataclass
class BulkResult:
    count: int
    undo: dict | None


def _label(value):
    label = labels.get_label(value)
    if label is None:
        raise ValidationFailed({"action": [_("התגית לא נמצאה.")]})
    return label


def _set_field(actor, contacts, key: str, value) -> dict:
    """Set one field on many contacts; {id: old raw value} of those that changed."""
    previous = {}
    for contact in contacts:
        old = getattr(contact, key)
        if services.update_contact(actor, contact, {key: value}):
            previous[str(contact.id)] = old
    return previous


def apply(actor, kind: str, ids: list, action: str, value: str | None = None) -> BulkResult:
    if action not in ACTIONS:
        raise ValidationFailed({"action": [_("יש לבחור פעולה.")]})
    if len(ids) > MAX_SELECTION:
        raise ValidationFailed(
            {"action": [_("אפשר לבחור עד %(max)d רשומות בבת אחת.", max=MAX_SELECTION)]}
        )
    contacts = services.get_many(kind, ids)
    if not contacts:
        raise ValidationFailed({"ids": [_("לא נבחרו רשומות.")]})
    if action in ("label_add", "label_remove"):
        label = _label(value)
        change = labels.attach_label if action == "label_add" else labels.detach_label
        changed = [str(c.id) for c in contacts if change(actor, label, kind, c.id, c.name)]
        for contact in contacts:
            services.announce(contact)
        reverse = "label_remove" if action == "label_add" else "label_add"
        undo = {"kind": kind, "action": reverse, "value": str(label.id), "ids": changed}
        return BulkResult(len(changed), undo if changed else None)
    if action in ("status", "lead_source"):
        if kind != "client" or spec_for(kind, action) is None:
            raise ValidationFailed({"action": [_("הפעולה לא מתאימה לסוג הזה.")]})
        previous = _set_field(actor, contacts, action, value)
        undo = {"kind": kind, "action": "restore_values", "field": action, "values": previous}
        return BulkResult(len(previous), undo if previous else None)
    archived = action == "archive"
    changed = services.set_archived(actor, contacts, archived)
    ids_changed = [str(c.id) for c in changed]
    undo = {"kind": kind, "action": "restore" if archived else "archive", "ids": ids_changed}
    return BulkResult(len(changed), undo if changed else None)


def revert(actor, undo: dict) -> int:
    """Reverse a bulk action from its undo payload; returns how many contacts changed back."""
    kind = undo.get("kind")
    if kind not in ("client", "supplier", "professional"):
        return 0
    if undo.get("action") == "restore_values":
        permissions.require(permissions.can_edit(actor))
        values = undo.get("values") or {}
        count = 0
        for contact in services.get_many(kind, list(values)):
            if services.update_contact(actor, contact, {undo["field"]: values[str(contact.id)]}):
                count += 1
        return count
    return apply(actor, kind, undo.get("ids") or [], undo["action"], undo.get("value")).count

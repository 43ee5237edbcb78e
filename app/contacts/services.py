"""Changing contacts: create, update (a form or one inline field), archive, restore, delete,
and finding duplicates. Services take the acting membership, flush, and never commit.
"""

import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, or_, select

from app.activity.labels import register_entity_kind
from app.activity.services import diff, record_activity
from app.contacts import permissions, vocab
from app.contacts.fields import (
    FIELDS,
    clean_values,
    display_value,
    phone_digits,
    spec_for,
    visible_specs,
)
from app.contacts.models import CONTACT_MODELS, Client
from app.core.db import utcnow
from app.core.errors import PermissionDenied, ValidationFailed
from app.extensions import db
from app.realtime import publish

LIST_TOPIC = "contacts"


def contact_topic(contact) -> str:
    return f"contact:{contact.id}"


def _uuid(value) -> uuid.UUID | None:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def get_contact(contact_id, kind: str | None = None):
    """A contact of the current studio by id (any kind, or only `kind`), or None."""
    contact_id = _uuid(contact_id)
    if contact_id is None:
        return None
    for entity_type, model in CONTACT_MODELS.items():
        if kind in (None, entity_type):
            found = db.session.get(model, contact_id)
            if found is not None:
                return found
    return None


def get_many(kind: str, ids) -> list:
    ids = [i for i in (_uuid(v) for v in ids) if i is not None]
    if not ids:
        return []
    model = CONTACT_MODELS[kind]
    return list(db.session.scalars(select(model).where(model.id.in_(ids))))


_announcements_held: ContextVar[bool] = ContextVar("contacts_announcements_held", default=False)


@contextmanager
def one_announcement():
    """Many changes, one realtime message: an import of 5,000 rows should not send 15,000."""
    token = _announcements_held.set(True)
    try:
        yield
    finally:
        _announcements_held.reset(token)
    publish(LIST_TOPIC, "entity_updated")
    publish("leads", "entity_updated")


def announce(contact, event: str = "entity_updated") -> None:
    if _announcements_held.get():
        return
    payload = {"entity_type": contact.entity_type, "entity_id": str(contact.id)}
    publish(LIST_TOPIC, event, **payload)
    publish(contact_topic(contact), event, **payload)
    if contact.entity_type == "client":
        publish("leads", event, **payload)


def readable_changes(kind: str, changes: dict) -> dict:
    """Old → new as people read them (ליד → פעיל rather than lead → active)."""
    readable = {}
    for key, change in changes.items():
        spec = spec_for(kind, key)
        if spec is not None and spec.type in ("choice", "config", "bool"):
            change = {
                "old": display_value(kind, key, change["old"]) or None,
                "new": display_value(kind, key, change["new"]) or None,
            }
        readable[key] = change
    return readable


def _client_id(contact):
    return contact.id if contact.entity_type == "client" else None


def _apply(contact, values: dict) -> dict:
    changes = diff(contact, values)
    if "phone" in values:
        contact.phone_digits = phone_digits(contact.phone)
    if "mobile" in values:
        contact.mobile_digits = phone_digits(contact.mobile)
    return changes


def _check_editable_keys(kind: str, actor, keys) -> None:
    editable = {s.key for s in visible_specs(kind, actor, editing=True)}
    refused = [k for k in keys if k not in editable and spec_for(kind, k) is not None]
    if refused:
        raise PermissionDenied(_("אין לך הרשאה לערוך תנאים מסחריים."))


def check_client_rules(values: dict, contact=None) -> dict:
    errors = {}
    status = values.get("status", getattr(contact, "status", None))
    referrer = values.get("referred_by_client_id")
    if referrer is not None and contact is not None and referrer == contact.id:
        errors["referred_by_client_id"] = [_("לקוח לא יכול להפנות את עצמו.")]
    if values.get("lead_stage") == "lost" and not values.get(
        "lost_reason", getattr(contact, "lost_reason", None)
    ):
        errors["lost_reason"] = [_("כתבו למה הליד אבד.")]
    if status == "lead" and not values.get("lead_stage", getattr(contact, "lead_stage", None)):
        values["lead_stage"] = "new"
    return errors


def _referrer(actor, raw) -> tuple[object, dict]:
    """The "referred by" client chosen in a form: (uuid or None, errors)."""
    if raw in (None, ""):
        return None, {}
    referrer = get_contact(raw, "client")
    if referrer is None:
        return None, {"referred_by_client_id": [_("הלקוח המפנה לא נמצא.")]}
    return referrer.id, {}


def create_contact(actor, kind: str, data: dict):
    """A new contact from form or import data (raw strings); raises ValidationFailed."""
    permissions.require(permissions.can_edit(actor))
    specs = visible_specs(kind, actor, editing=True)
    values, errors = clean_values(kind, data, specs=specs)
    if kind == "client":
        values["referred_by_client_id"], more = _referrer(actor, data.get("referred_by_client_id"))
        errors |= more
        errors |= check_client_rules(values)
    if errors:
        raise ValidationFailed(errors)
    contact = CONTACT_MODELS[kind]()
    _apply(contact, values)  # fields this member may not edit keep their defaults
    if kind == "client" and contact.status == "lead" and not contact.lead_stage:
        contact.lead_stage = "new"
    db.session.add(contact)
    db.session.flush()
    record_activity(actor, "created", contact, entity_type=kind, client_id=_client_id(contact))
    announce(contact, "entity_created")
    return contact


def update_contact(actor, contact, data: dict, *, partial: bool = True) -> dict:
    """Change the fields present in `data`; returns the readable changes."""
    permissions.require(permissions.can_edit(actor))
    kind = contact.entity_type
    _check_editable_keys(kind, actor, data.keys())
    values, errors = clean_values(
        kind, data, partial=partial, specs=visible_specs(kind, actor, editing=True)
    )
    if kind == "client":
        if "referred_by_client_id" in data:
            values["referred_by_client_id"], more = _referrer(actor, data["referred_by_client_id"])
            errors |= more
        errors |= check_client_rules(values, contact)
    if errors:
        raise ValidationFailed(errors)
    changes = _apply(contact, values)
    if not changes:
        return {}
    db.session.flush()
    readable = readable_changes(kind, changes)
    record_activity(
        actor, "updated", contact, changes=readable, entity_type=kind, client_id=_client_id(contact)
    )
    announce(contact)
    return readable


def update_field(actor, contact, key: str, raw) -> dict:
    """One inline edit: `key` must be an inline-editable field of the contact's kind."""
    spec = spec_for(contact.entity_type, key)
    if spec is None or not spec.inline:
        raise ValidationFailed({key: [_("אי אפשר לערוך את השדה הזה כאן.")]})
    return update_contact(actor, contact, {key: raw})


def set_archived(actor, contacts: list, archived: bool) -> list:
    """Archive (or restore) contacts; returns those that changed."""
    permissions.require(permissions.can_archive(actor), _("אין לך הרשאה להעביר לארכיון."))
    changed = []
    now = utcnow()
    for contact in contacts:
        if contact.is_archived == archived:
            continue
        contact.archived_at = now if archived else None
        changed.append(contact)
        record_activity(
            actor,
            "updated",
            contact,
            changes={"archived": {"old": not archived, "new": archived}},
            entity_type=contact.entity_type,
            client_id=_client_id(contact),
        )
    db.session.flush()
    for contact in changed:
        announce(contact)
    return changed


def delete_contact(actor, contact) -> None:
    """Delete for good (only from the archive), with its labels, custom values and log."""
    from app.contacts.communication import delete_entries_of
    from app.custom_fields.models import CustomFieldValue
    from app.labels.models import EntityLabel

    permissions.require(permissions.can_delete(actor), _("אין לך הרשאה למחוק."))
    if not contact.is_archived:
        raise ValidationFailed({"": [_("אפשר למחוק רק איש קשר שנמצא בארכיון.")]})
    kind = contact.entity_type
    if kind == "client":
        from app.projects.models import Project

        if db.session.scalar(select(Project.id).where(Project.client_id == contact.id).limit(1)):
            raise ValidationFailed(
                {"": [_("ללקוח יש פרויקטים: אי אפשר למחוק אותו. אפשר להשאיר אותו בארכיון.")]}
            )
    for model in (EntityLabel, CustomFieldValue):
        db.session.execute(
            delete(model).where(model.entity_type == kind, model.entity_id == contact.id)
        )
    delete_entries_of(kind, contact.id)
    record_activity(actor, "deleted", contact, entity_type=kind)
    announce(contact, "entity_deleted")
    db.session.delete(contact)
    db.session.flush()


# ---------------------------------------------------------------------------------------------
# Duplicates
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Duplicate:
    contact: object
    reason: str  # "email" or "phone"

    @property
    def kind_label(self) -> str:
        return str(vocab.KIND_LABELS[self.contact.entity_type])


def find_duplicates(email: str | None, phones, exclude_id=None, limit: int = 5) -> list[Duplicate]:
    """Contacts of any kind whose e-mail or a phone matches (digits only, +972 = 0)."""
    email = (email or "").strip().lower() or None
    digits = {d for d in (phone_digits(p) for p in phones or []) if d and len(d) >= 7}
    if not email and not digits:
        return []
    found: list[Duplicate] = []
    for model in CONTACT_MODELS.values():
        conditions = []
        if email:
            conditions.append(model.email == email)
        if digits:
            conditions.append(model.phone_digits.in_(digits))
            if model is Client:
                conditions.append(Client.mobile_digits.in_(digits))
        query = select(model).where(or_(*conditions)).limit(limit)
        if exclude_id is not None:
            query = query.where(model.id != exclude_id)
        for contact in db.session.scalars(query):
            reason = "email" if email and contact.email == email else "phone"
            found.append(Duplicate(contact, reason))
    return found[:limit]


def _field_labels(kind: str) -> dict:
    labels = {spec.key: spec.label for spec in FIELDS[kind]}
    labels |= {"archived": _l("בארכיון"), "labels": _l("תגיות")}
    if kind == "client":
        labels["referred_by_client_id"] = _l("הופנה על ידי לקוח")
    return labels


for _kind in CONTACT_MODELS:
    register_entity_kind(_kind, vocab.KIND_LABELS[_kind], _field_labels(_kind))
register_entity_kind("client_important_date", _l("תאריך חשוב"), {"date": _l("תאריך")})

"""`record_activity` and `diff`: every domain service that changes data calls them.

    changes = diff(obj, {"name": form.name.data, "color": form.color.data})  # applies + diffs
    record_activity(actor, "updated", obj, changes=changes)

The entry is added to the session; the caller's commit saves it with the change itself.
"""

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from uuid import UUID

from flask import has_request_context, request

from app.activity.models import ACTIONS, ActivityLog
from app.extensions import db


def _plain(value):
    """JSON-friendly form of a column value, for the stored old → new pairs."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    return value


def diff(obj, new_values: dict) -> dict:
    """Set each attribute to its new value; return {field: {"old", "new"}} for real changes."""
    changes = {}
    for field, new in new_values.items():
        old = getattr(obj, field)
        if old != new:
            changes[field] = {"old": _plain(old), "new": _plain(new)}
            setattr(obj, field, new)
    return changes


def activity_type(entity) -> str:
    """`Model.__activity_type__`, or the class name in snake_case (ConfigurableEntity →
    configurable_entity)."""
    explicit = getattr(entity, "__activity_type__", None)
    if explicit:
        return explicit
    name = type(entity).__name__
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


def entity_label(entity) -> str | None:
    """A readable name for the entity (a Membership is named after its user)."""
    user = getattr(entity, "user", None)
    if user is not None and hasattr(user, "full_name"):
        return user.full_name[:255]
    for attribute in ("name", "title", "full_name", "email"):
        value = getattr(entity, attribute, None)
        if value:
            return str(value)[:255]
    return None


def record_activity(
    actor,
    action: str,
    entity,
    *,
    changes: dict | None = None,
    description: str | None = None,
    entity_type: str | None = None,
    project_id=None,
    client_id=None,
) -> ActivityLog | None:
    """Log what `actor` (a Membership or a User, or None for the system) did to `entity`.

    An "updated" with no changes is not worth a line and returns None.
    """
    if action not in ACTIONS:
        raise ValueError(f"Unknown activity action {action!r}")
    if action == "updated" and not changes:
        return None
    user_id = getattr(actor, "user_id", None) or getattr(actor, "id", None)
    entry = ActivityLog(
        user_id=user_id,
        action=action,
        entity_type=entity_type or activity_type(entity),
        entity_id=str(entity.id),
        entity_name=entity_label(entity),
        changes=changes or None,
        description=description,
        project_id=project_id,
        client_id=client_id,
        ip_address=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    return entry
